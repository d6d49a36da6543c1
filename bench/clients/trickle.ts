import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { orderCreatedRecord } from '../records';

/**
 * The saga's regime for a consumer: a few dozen records a second, so nearly every fetch brings
 * one record and every batch costs a commit. Records start once the worker's group is Stable
 * (none are waiting when it joins, so none arrive batched) and stop when `stop` is called.
 */
export function trickle(
  kafka: Kafka,
  topic: string,
  groupId: string,
  perSecond: number,
): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      while (running) {
        const { groups } = await admin.describeGroups([groupId]);
        if (groups[0]?.state === 'Stable') break;
        await delay(200);
      }
      const started = Date.now();
      for (let sent = 0; running; sent++) {
        await producer.send({ topic, acks: -1, messages: [orderCreatedRecord()] });
        const due = started + ((sent + 1) * 1000) / perSecond;
        await delay(Math.max(0, due - Date.now()));
      }
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}
