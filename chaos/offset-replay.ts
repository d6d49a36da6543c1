import type { Kafka } from 'kafkajs';
import { consumedTopicsOf, consumerGroupOf, type ServiceName } from '@shop/contracts';
import { withKafkaAdmin } from '@shop/devstack';

/**
 * Moves a stopped service's consumer group back to the offsets it had at `since`, so every record
 * since then is delivered a second time: the idempotent consumer must apply none of them twice.
 * Kafka refuses to move the offsets of a group with live members, hence "stopped". Returns how
 * many records will be redelivered.
 */
export async function rewindGroup(
  kafka: Kafka,
  service: ServiceName,
  since: number,
): Promise<number> {
  const groupId = consumerGroupOf(service);
  return withKafkaAdmin(kafka, async (admin) => {
    let replayed = 0;
    for (const topic of consumedTopicsOf(service)) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const earlier = await admin.fetchTopicOffsetsByTimestamp(topic, since);
      const partitions = earlier.flatMap(({ partition, offset }) => {
        const now = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        if (now === '-1' || Number(offset) >= Number(now)) return [];
        replayed += Number(now) - Number(offset);
        return [{ partition, offset }];
      });
      if (partitions.length > 0) await admin.setOffsets({ groupId, topic, partitions });
    }
    return replayed;
  });
}
