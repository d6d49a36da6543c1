import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { BusinessError, dlqTopicOf, type Envelope } from '@shop/contracts';
import { DLQ_HEADERS, TransientError, type EventHandlers } from '@shop/messaging';
import { eventually, uniqueName, withAdmin } from '@shop/testkit';
import { KitHarness, RETRY_DELAYS_MS, orderCreated } from './support/kit-harness';

class ProductNotFoundError extends BusinessError {}

type Behaviour = 'ok' | 'business' | 'heals-after-2' | 'never-heals' | 'bug' | 'deadlock-twice';

interface DeadLetter {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
}

describe.each([true, false])(
  'the three-tier consumer against the real cluster (a record alone in a savepoint: %s)',
  (savepointForSingleRecord) => {
    const kit = new KitHarness(uniqueName('kit'), { savepointForSingleRecord });
    const behaviour = new Map<string, Behaviour>();
    const attempts = new Map<string, number>();
    /** When each attempt of an order's record began, to measure the hold of each retry tier. */
    const attemptTimes = new Map<string, number[]>();
    const deadLetters: DeadLetter[] = [];
    const writtenTopLevel = new Map<string, boolean>();

    const handlers: EventHandlers = {
      OrderCreated: async (event, { transaction }) => {
        const orderId = event.payload.orderId;
        const tries = (attempts.get(orderId) ?? 0) + 1;
        attempts.set(orderId, tries);
        attemptTimes.set(orderId, [...(attemptTimes.get(orderId) ?? []), Date.now()]);
        // A row written in a savepoint carries the subtransaction's id, not the transaction's.
        const [row] = await kit.sequelize.query<{ topLevel: boolean }>(
          `INSERT INTO applied (event_id, order_id) VALUES ($1, $2)
         RETURNING xmin::text = (txid_current() % 4294967296)::text AS "topLevel"`,
          { bind: [event.eventId, orderId], transaction, type: QueryTypes.SELECT },
        );
        writtenTopLevel.set(event.eventId, row!.topLevel);
        switch (behaviour.get(orderId) ?? 'ok') {
          case 'business':
            throw new ProductNotFoundError('Product not found: PROD-001');
          case 'heals-after-2':
            if (tries <= 2) {
              throw new TransientError('database briefly unreachable');
            }
            return;
          case 'never-heals':
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
              code: 'ECONNREFUSED',
            });
          case 'bug':
            throw new TypeError("Cannot read properties of undefined (reading 'sku')");
          case 'deadlock-twice':
            // What pg raises when PostgreSQL picks this transaction as a deadlock victim.
            if (tries <= 2)
              throw Object.assign(new Error('deadlock detected'), {
                code: '40P01',
                severity: 'ERROR',
              });
            return;
          default:
            return;
        }
      },
    };

    const appliedCount = async (orderId: string) => {
      const [row] = await kit.sequelize.query<{ n: string }>(
        'SELECT count(*) AS n FROM applied WHERE order_id = $1',
        {
          bind: [orderId],
          type: QueryTypes.SELECT,
        },
      );
      return Number(row?.n);
    };

    beforeAll(async () => {
      await kit.setUp();
      // No key on event_id: an event applied twice must show as two rows, not as a unique violation.
      await kit.sequelize.query(
        'CREATE TABLE applied (id bigserial PRIMARY KEY, event_id uuid NOT NULL, order_id uuid NOT NULL)',
      );
      const dlqReader = kit.kafka.consumer({ groupId: uniqueName('dlq-reader') });
      await dlqReader.connect();
      await dlqReader.subscribe({ topic: dlqTopicOf(kit.topic), fromBeginning: true });
      await dlqReader.run({
        eachMessage: async ({ message, partition }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          deadLetters.push({
            key: message.key?.toString() ?? null,
            value: message.value,
            headers,
            partition,
          });
        },
      });
      afterAllHooks.push(() => dlqReader.disconnect());
      await kit.consumer(handlers).start();
    });

    const afterAllHooks: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const hook of afterAllHooks) await hook();
      await kit.tearDown();
    });

    const processed = (orderId: string) =>
      kit.logs.withMsg('message processed').some((l) => l.orderId === orderId);

    it('sends a record that is not JSON, and one that fails its schema, to <topic>-dlq with the guide headers and the original bytes', async () => {
      const garbage = Buffer.from([0x7b, 0x6e, 0x6f, 0xff, 0x00, 0x7d]);
      const wrongSchema = Buffer.from(
        JSON.stringify({ ...orderCreated(), payload: { orderId: 'not-a-uuid' } }),
      );
      await kit.produceRaw('poison-1', garbage);
      await kit.produceRaw('poison-2', wrongSchema);
      const after = orderCreated();
      await kit.produce(after);

      await eventually(() => deadLetters.length >= 2, 30_000, 'two DLQ records');
      await eventually(
        () => processed(after.aggregateId),
        30_000,
        'the next record to be processed',
      );

      const byKey = new Map(deadLetters.map((d) => [d.key, d]));
      expect(byKey.get('poison-1')!.value!.equals(garbage)).toBe(true);
      expect(byKey.get('poison-2')!.value!.equals(wrongSchema)).toBe(true);
      for (const dead of [byKey.get('poison-1')!, byKey.get('poison-2')!]) {
        expect(
          Object.keys(dead.headers)
            .filter((h) => h.startsWith('dlq.'))
            .sort(),
        ).toEqual([...Object.values(DLQ_HEADERS), 'dlq.source'].sort());
        expect(dead.headers[DLQ_HEADERS.service]).toBe(kit.topology.service);
        expect(dead.headers[DLQ_HEADERS.originalTopic]).toBe(kit.topic);
        expect(dead.headers[DLQ_HEADERS.originalPartition]).toMatch(/^\d$/);
        expect(dead.headers[DLQ_HEADERS.originalOffset]).toMatch(/^\d+$/);
        expect(dead.headers[DLQ_HEADERS.errorTimestamp]).toMatch(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
        );
        expect(dead.headers[DLQ_HEADERS.errorClass]).toBe('InvalidEventError');
        expect(dead.headers[DLQ_HEADERS.errorStacktrace]).toContain('InvalidEventError');
      }
      // The group's committed offsets moved past both poison records: a restart would not see them.
      const committedPast = async () => {
        const [offsets] = await withAdmin(kit.kafka, (admin) =>
          admin.fetchOffsets({ groupId: kit.topology.groupId, topics: [kit.topic] }),
        );
        return [byKey.get('poison-1')!, byKey.get('poison-2')!].every((dead) => {
          const partition = Number(dead.headers[DLQ_HEADERS.originalPartition]);
          const committed = offsets!.partitions.find((p) => p.partition === partition)?.offset;
          return BigInt(committed ?? '-1') > BigInt(dead.headers[DLQ_HEADERS.originalOffset]!);
        });
      };
      await eventually(committedPast, 30_000, 'offsets committed past the poison records');
      expect(byKey.get('poison-1')!.headers[DLQ_HEADERS.errorMessage]).toContain('not UTF-8 JSON');
      expect(byKey.get('poison-2')!.headers[DLQ_HEADERS.errorMessage]).toContain('orderId');

      expect(
        await kit.counter('kafka_messages_dlq_total', { topic: kit.topic, status: 'dlq' }),
      ).toBe(2);
      expect(
        await kit.counter('kafka_messages_error_total', { topic: kit.topic, status: 'dlq' }),
      ).toBe(2);
      const dlqLog = kit.logs.withMsg('DLQ send succeeded');
      expect(dlqLog).toHaveLength(2);
      expect(dlqLog[0]).toMatchObject({
        originalTopic: kit.topic,
        dlqTopic: `${kit.topic}-dlq`,
        exceptionClass: 'InvalidEventError',
      });
      expect(
        kit.logs.withMsg('message processed').find((l) => l.orderId === after.aggregateId),
      ).toMatchObject({
        itemCount: 2,
        service: kit.settings.clientId,
      });
    });

    it('skips a business error, counts and logs it, and moves on', async () => {
      const rejected = orderCreated();
      behaviour.set(rejected.aggregateId, 'business');
      const next = orderCreated(crypto.randomUUID());
      await kit.produce(rejected);
      await kit.produce(next);
      await eventually(
        () => processed(next.aggregateId),
        30_000,
        'the record after the rejected one',
      );
      await eventually(
        () =>
          kit.logs
            .withMsg('business error, message skipped')
            .some((l) => l.orderId === rejected.aggregateId),
        10_000,
      );
      expect(await appliedCount(rejected.aggregateId)).toBe(0);
      expect(
        await kit.counter('kafka_messages_skip_total', { topic: kit.topic }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        kit.logs
          .withMsg('business error, message skipped')
          .find((l) => l.orderId === rejected.aggregateId),
      ).toMatchObject({
        exceptionClass: 'ProductNotFoundError',
      });
    });

    it('retries a healing technical error through the service retry topics and applies it once', async () => {
      const flaky = orderCreated();
      behaviour.set(flaky.aggregateId, 'heals-after-2');
      const otherGroup: Envelope[] = [];
      const bystander = kit.kafka.consumer({ groupId: uniqueName('bystander') });
      await bystander.connect();
      await bystander.subscribe({ topic: kit.topic, fromBeginning: true });
      await bystander.run({
        eachMessage: async ({ message }) => {
          if (message.key?.toString() === flaky.aggregateId)
            otherGroup.push(JSON.parse(message.value!.toString()));
        },
      });

      await kit.produce(flaky);
      await eventually(() => processed(flaky.aggregateId), 30_000, 'the flaky record to succeed');
      expect(attempts.get(flaky.aggregateId)).toBe(3);
      expect(await appliedCount(flaky.aggregateId)).toBe(1);
      const retries = kit.logs.withMsg('retryable error, message sent to retry topic');
      expect(retries.filter((l) => l.topic === kit.topic).map((l) => l.retryTopic)).toEqual(
        expect.arrayContaining([kit.topology.retryTopics[0], kit.topology.retryTopics[1]]),
      );
      expect(
        await kit.counter('kafka_messages_retry_total', { topic: kit.topic }),
      ).toBeGreaterThanOrEqual(2);

      // Another consumer group on the same topic sees the original record once, never the retries.
      await new Promise((r) => setTimeout(r, 1_000));
      await bystander.disconnect();
      expect(otherGroup.map((e) => e.eventId)).toEqual([flaky.eventId]);
    });

    it('applies a chunk again record by record when one of its handlers meets a deadlock, with no detour through a retry topic', async () => {
      const orderId = crypto.randomUUID();
      const events = [orderCreated(orderId), orderCreated(orderId), orderCreated(orderId)];
      // First all three in one transaction, then each in a savepoint of one, then one by one.
      behaviour.set(orderId, 'deadlock-twice');
      // One produce request on one key: one partition, one fetch, one chunk.
      await kit.producer.sendBatch([
        {
          topic: kit.topic,
          messages: events.map((e) => ({ key: orderId, value: JSON.stringify(e) })),
        },
      ]);
      await eventually(
        () =>
          events.every((e) =>
            kit.logs.withMsg('message processed').some((l) => l.eventId === e.eventId),
          ),
        30_000,
        'all three records to be applied',
      );
      expect(
        kit.logs.withMsg('lock conflict in a chunk; applying its records one by one'),
      ).not.toEqual([]);
      expect(await appliedCount(orderId)).toBe(3);
      expect(
        kit.logs
          .withMsg('retryable error, message sent to retry topic')
          .filter((l) => events.some((e) => e.eventId === l.eventId)),
      ).toEqual([]);
    });

    it('holds each retry tier for its own delay, then dead-letters the original record after the last tier', async () => {
      const doomed = orderCreated();
      behaviour.set(doomed.aggregateId, 'never-heals');
      const [original] = await kit.producer.send(kit.topic, {
        key: doomed.aggregateId,
        value: JSON.stringify(doomed),
      });
      await eventually(
        () => deadLetters.some((d) => d.key === doomed.aggregateId),
        30_000,
        'the DLQ record',
      );
      expect(attempts.get(doomed.aggregateId)).toBe(4);

      // Tier n is retryTopics[n-1] with retryDelaysMs[n-1], in that order.
      const retries = kit.logs
        .withMsg('retryable error, message sent to retry topic')
        .filter((l) => l.eventId === doomed.eventId);
      expect(retries.map((l) => [l.attempt, l.retryTopic, l.delayMs])).toEqual(
        kit.topology.retryTopics.map((topic, i) => [i + 1, topic, RETRY_DELAYS_MS[i]]),
      );
      // The time between attempts is each tier's delay: never shorter (the hold works), and
      // shorter than the next tier's (the delays are not shifted by one tier).
      const times = attemptTimes.get(doomed.aggregateId)!;
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      RETRY_DELAYS_MS.forEach((delay, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(delay);
        if (i + 1 < RETRY_DELAYS_MS.length) expect(gaps[i]).toBeLessThan(RETRY_DELAYS_MS[i + 1]!);
      });

      const dead = deadLetters.find((d) => d.key === doomed.aggregateId)!;
      // The dead letter names the record the producer wrote, not the retry record that died.
      expect(dead.headers[DLQ_HEADERS.originalTopic]).toBe(kit.topic);
      expect(dead.headers[DLQ_HEADERS.originalPartition]).toBe(String(original!.partition));
      expect(dead.headers[DLQ_HEADERS.originalOffset]).toBe(original!.baseOffset);
      expect(dead.headers[DLQ_HEADERS.errorClass]).toBe('Error');
      expect(dead.value!.toString()).toBe(JSON.stringify(doomed));
      expect(Object.keys(dead.headers).some((h) => h.startsWith('retry.'))).toBe(false);
    });

    it('sends an unexpected error straight to the DLQ', async () => {
      const buggy = orderCreated();
      behaviour.set(buggy.aggregateId, 'bug');
      await kit.produce(buggy);
      await eventually(
        () => deadLetters.some((d) => d.key === buggy.aggregateId),
        30_000,
        'the DLQ record',
      );
      expect(attempts.get(buggy.aggregateId)).toBe(1);
      expect(
        deadLetters.find((d) => d.key === buggy.aggregateId)!.headers[DLQ_HEADERS.errorClass],
      ).toBe('TypeError');
    });

    it(`applies a record alone ${savepointForSingleRecord ? 'in a savepoint' : 'straight in its transaction'}`, async () => {
      const alone = orderCreated();
      await kit.produce(alone);
      await eventually(() => processed(alone.aggregateId), 30_000, 'the record');
      expect(writtenTopLevel.get(alone.eventId)).toBe(!savepointForSingleRecord);
      expect(attempts.get(alone.aggregateId)).toBe(1);
    });

    it('changes state once when the same event arrives twice', async () => {
      const twice = orderCreated();
      await kit.produce(twice);
      await kit.produce(twice);
      await eventually(
        () =>
          kit.logs
            .withMsg('already processed, message skipped')
            .some((l) => l.eventId === twice.eventId),
        30_000,
        'the duplicate to be skipped',
      );
      expect(await appliedCount(twice.aggregateId)).toBe(1);
      expect(attempts.get(twice.aggregateId)).toBe(1);
    });
  },
);
