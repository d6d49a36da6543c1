import crypto from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { BusinessError, createEnvelope, RETRY_TIERS } from '@shop/contracts';
import { createLogger } from '@shop/observability';
import { TransientError } from '../errors';
import { DLQ_HEADERS, RETRY_HEADERS } from '../headers';
import type { OutgoingRecord } from './dead-letter';
import {
  FailurePolicy,
  OutcomeNotRecordedError,
  decideOnFailure,
  type RecordSender,
} from './failure-policy';
import type { RecordOrigin } from './record-origin';
import type { ConsumerTopology } from './topology';

class OutOfStockError extends BusinessError {}

const topology: ConsumerTopology = {
  service: 'inventory-service',
  groupId: 'inventory-service-group',
  topics: ['order-events'],
  retryTopics: [
    'inventory-service-retry-1',
    'inventory-service-retry-2',
    'inventory-service-retry-3',
  ],
};
const delays = [1_000, 5_000, 30_000];
const origin = (attempt: number, replays = 0): RecordOrigin => ({
  topic: 'order-events',
  partition: 2,
  offset: '41',
  attempt,
  readAt: `inventory-service-retry-${attempt}/0/7`,
  replays,
});
const MAX_REPLAYS = 3;
const settings = { retryDelaysMs: delays, dlqMaxReplays: MAX_REPLAYS };
const transient = () => new TransientError('database briefly unreachable');

describe('decideOnFailure: the three tiers', () => {
  it('skips a business error for good, whatever the attempt', () => {
    expect(
      decideOnFailure(
        new OutOfStockError('no stock'),
        origin(0),
        topology.retryTopics,
        delays,
        MAX_REPLAYS,
      ),
    ).toEqual({ status: 'skip' });
    expect(
      decideOnFailure(
        new OutOfStockError('no stock'),
        origin(2),
        topology.retryTopics,
        delays,
        MAX_REPLAYS,
      ),
    ).toEqual({ status: 'skip' });
  });

  it('sends a retryable error to the next tier with that tier’s delay', () => {
    for (let attempt = 0; attempt < RETRY_TIERS; attempt++) {
      expect(
        decideOnFailure(transient(), origin(attempt), topology.retryTopics, delays, MAX_REPLAYS),
      ).toEqual({
        status: 'retry',
        attempt: attempt + 1,
        retryTopic: topology.retryTopics[attempt],
        delayMs: delays[attempt],
      });
    }
  });

  it('dead-letters a retryable error after the last tier, and a record whose bookkeeping is lost', () => {
    expect(
      decideOnFailure(transient(), origin(RETRY_TIERS), topology.retryTopics, delays, MAX_REPLAYS),
    ).toEqual({ status: 'dlq' });
    expect(
      decideOnFailure(
        transient(),
        origin(Number.MAX_SAFE_INTEGER),
        topology.retryTopics,
        delays,
        MAX_REPLAYS,
      ),
    ).toEqual({ status: 'dlq' });
  });

  it('dead-letters anything else at once: a bug is not retried', () => {
    expect(
      decideOnFailure(
        new TypeError('x is undefined'),
        origin(0),
        topology.retryTopics,
        delays,
        MAX_REPLAYS,
      ),
    ).toEqual({ status: 'dlq' });
  });

  it('parks, instead of dead-lettering, a record replayed as often as allowed that fails again', () => {
    const decide = (error: unknown, attempt: number, replays: number) =>
      decideOnFailure(error, origin(attempt, replays), topology.retryTopics, delays, MAX_REPLAYS);
    expect(decide(new TypeError('bug'), 1, MAX_REPLAYS - 1)).toEqual({ status: 'dlq' });
    expect(decide(new TypeError('bug'), 1, MAX_REPLAYS)).toEqual({
      status: 'park',
      replays: MAX_REPLAYS,
    });
    expect(decide(transient(), RETRY_TIERS, MAX_REPLAYS + 1)).toEqual({
      status: 'park',
      replays: MAX_REPLAYS + 1,
    });
    // Its retry tiers and a business rule's skip are the same as for any record.
    expect(decide(transient(), 1, MAX_REPLAYS)).toMatchObject({ status: 'retry', attempt: 2 });
    expect(decide(new OutOfStockError('none'), 1, MAX_REPLAYS)).toEqual({ status: 'skip' });
  });
});

describe('FailurePolicy: carrying the decision out', () => {
  const message: KafkaMessage = {
    key: Buffer.from('order-1'),
    value: Buffer.from('{"the":"original bytes"}'),
    headers: { traceparent: '00-abc-def-01' },
    offset: '41',
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
  const orderId = crypto.randomUUID();
  const event = createEnvelope(
    'OrderCancelled',
    orderId,
    { orderId, customerId: 'alice', reason: { code: 'customer', detail: 'changed my mind' } },
    { correlationId: orderId, causationId: orderId },
  );
  const logger = createLogger('failure-policy-test', 'silent');

  function recording(fail = false): RecordSender & { sent: OutgoingRecord[] } {
    const sent: OutgoingRecord[] = [];
    return {
      sent,
      async sendBatch(topicMessages) {
        if (fail) throw new Error('broker away');
        for (const { topic, messages } of topicMessages) {
          for (const m of messages) sent.push({ topic, message: m as OutgoingRecord['message'] });
        }
      },
    };
  }

  /** What the policy decides for each failure, then sends: the runner's order, after a commit. */
  async function decideThenSend(policy: FailurePolicy, failures: Array<[number, unknown]>) {
    const outcomes = failures.map(([attempt, error]) =>
      policy.onHandlerError(message, origin(attempt), event, error),
    );
    await policy.send(outcomes.flatMap((o) => (o.record ? [o.record] : [])));
    return outcomes.map((o) => o.status);
  }

  it('decides without sending: the record goes out only when asked, once its chunk committed', async () => {
    const sender = recording();
    const policy = new FailurePolicy(topology, settings, sender, logger);
    const outcome = policy.onHandlerError(message, origin(0), event, new TypeError('bug'));
    expect(outcome.status).toBe('dlq');
    expect(sender.sent).toEqual([]);
    await policy.send([outcome.record!]);
    expect(sender.sent.map((r) => r.topic)).toEqual(['order-events-dlq']);
  });

  it('sends a retryable failure to the tier with the retry headers, and says so', async () => {
    const sender = recording();
    const policy = new FailurePolicy(topology, settings, sender, logger);
    await expect(decideThenSend(policy, [[1, transient()]])).resolves.toEqual(['retry']);
    expect(sender.sent).toHaveLength(1);
    const [out] = sender.sent;
    expect(out!.topic).toBe('inventory-service-retry-2');
    expect(out!.message.value).toEqual(message.value);
    expect(String(out!.message.headers[RETRY_HEADERS.attempt])).toBe('2');
    expect(String(out!.message.headers[RETRY_HEADERS.originalTopic])).toBe('order-events');
  });

  it('dead-letters with the dlq headers, and sends nothing for a business error', async () => {
    const sender = recording();
    const policy = new FailurePolicy(topology, settings, sender, logger);
    await expect(
      decideThenSend(policy, [
        [0, new TypeError('bug')],
        [0, new OutOfStockError('none')],
      ]),
    ).resolves.toEqual(['dlq', 'skip']);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.topic).toBe('order-events-dlq');
    expect(String(sender.sent[0]!.message.headers[DLQ_HEADERS.errorClass])).toBe('TypeError');
    expect(String(sender.sent[0]!.message.headers[DLQ_HEADERS.service])).toBe('inventory-service');
    // Where it was decided: sent again after a crash, it is recognisably the same dead letter.
    expect(sender.sent[0]!.message.headers['dlq.source']).toBe('inventory-service-retry-0/0/7');
  });

  it('parks on <topic>-parking with the same dlq.* headers, counted as a dead letter, and says so', async () => {
    const sender = recording();
    const logs: Array<Record<string, unknown>> = [];
    const policy = new FailurePolicy(
      topology,
      settings,
      sender,
      createLogger('failure-policy-test', 'info', {
        write: (l: string) => void logs.push(JSON.parse(l)),
      }),
    );
    const replayed = {
      ...message,
      headers: { ...message.headers, 'replay.count': '3' },
    } as KafkaMessage;
    const outcome = policy.onHandlerError(
      replayed,
      origin(1, MAX_REPLAYS),
      event,
      new TypeError('bug'),
    );
    expect(outcome.status).toBe('dlq');
    await policy.send([outcome.record!]);
    expect(sender.sent.map((r) => r.topic)).toEqual(['order-events-parking']);
    const { headers } = sender.sent[0]!.message;
    const parked = policy.deadLetter(message, origin(1), new TypeError('bug')).out.message.headers;
    expect(Object.keys(headers).sort()).toEqual([...Object.keys(parked), 'replay.count'].sort());
    expect(String(headers[DLQ_HEADERS.originalTopic])).toBe('order-events');
    expect(String(headers['replay.count'])).toBe('3');
    expect(logs.find((l) => l.msg === 'record parked after 3 replays')).toMatchObject({
      parkingTopic: 'order-events-parking',
      originalTopic: 'order-events',
      replays: 3,
      exceptionClass: 'TypeError',
    });
  });

  it('fails with OutcomeNotRecordedError when the record cannot be sent on, so its offset stays', async () => {
    const policy = new FailurePolicy(topology, settings, recording(true), logger);
    await expect(decideThenSend(policy, [[0, transient()]])).rejects.toBeInstanceOf(
      OutcomeNotRecordedError,
    );
    await expect(
      policy.send([policy.deadLetter(message, origin(0), new TypeError('bug'))]),
    ).rejects.toThrow('could not send to order-events-dlq');
  });
});
