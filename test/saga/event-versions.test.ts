import crypto from 'node:crypto';
import path from 'node:path';
import { DLQ_HEADERS } from '@shop/contracts';
import { eventually, Partitioners, runScript, testKafka, testStack } from '@shop/testkit';
import { TestSystem } from '../support/system';

const ROOT = path.join(__dirname, '..', '..');

/** OrderCancelled as order-service wrote it before v2: what still sits on the topic and in the DLQ. */
function orderCancelledV1(orderId: string, reason: string) {
  return {
    eventId: crypto.randomUUID(),
    eventType: 'OrderCancelled',
    eventVersion: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: orderId,
    correlationId: orderId,
    causationId: orderId,
    payload: { orderId, customerId: 'zoe', reason },
  };
}

/**
 * OrderCancelled v2 changed the reason's type, so no v1 consumer reads it: a rolling upgrade moves
 * the consumers first (they read v1 and v2) while the old order-service still writes v1.
 */
describe('OrderCancelled v1 and v2 on real Kafka', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // A slow gateway keeps an order CONFIRMED long enough for the customer's cancel to land.
    system = await TestSystem.start({ gateway: { GATEWAY_LATENCY_MS: '1500' } });
  });
  afterAll(() => system.stop());

  const processed = async (service: 'inventory' | 'payment' | 'notification', eventId: string) =>
    (await system.query(service, 'SELECT 1 FROM processed_events WHERE event_id = $1', [eventId]))
      .length === 1;

  it('runs a customer cancel through the saga with the current version, from order-service to every reader', async () => {
    const product = await system.addProduct(5, 2_000);
    const id = await system.placeOrder([{ productId: product, quantity: 2 }]);
    await system.waitForStatus(id, ['CONFIRMED']);
    const cancel = await system.request('order', 'POST', `/orders/${id}/cancel`, {
      reason: 'found it cheaper',
    });
    expect(cancel.status).toBe(202);
    await system.waitForStatus(id, ['CANCELLED'], 60_000);
    expect(await system.product(product)).toMatchObject({ available: 5, reserved: 0, sold: 0 });
    await system.waitForNotification(id, 'order-cancelled');
    const [note] = await system.query<{ message: string }>(
      'notification',
      "SELECT message FROM notifications WHERE order_id = $1 AND template = 'order-cancelled'",
      [id],
    );
    expect(note?.message).toMatch(/was cancelled \(found it cheaper\)\.$/);
    const [written] = await system.query<{ value: { eventVersion: number; payload: unknown } }>(
      'order',
      "SELECT value::jsonb AS value FROM outbox WHERE event_type = 'OrderCancelled' AND message_key = $1",
      [id],
    );
    expect(written?.value).toMatchObject({
      eventVersion: 3,
      payload: { reason: { code: 'customer', detail: 'found it cheaper' } },
    });
  });

  it('reads a v1 record the old order-service left on order-cancelled, in every consumer', async () => {
    const orderId = crypto.randomUUID();
    const v1 = orderCancelledV1(orderId, 'payment failed: card declined');
    await system.produce('order-cancelled', orderId, JSON.stringify(v1));

    await system.waitForNotification(orderId, 'order-cancelled');
    const [note] = await system.query<{ message: string }>(
      'notification',
      'SELECT message FROM notifications WHERE order_id = $1',
      [orderId],
    );
    expect(note?.message).toMatch(/was cancelled \(payment failed: card declined\)\.$/);
    await eventually(() => processed('payment', v1.eventId), 30_000, 'payment-service to read it');
    expect(
      await system.query('payment', 'SELECT reason FROM cancelled_orders WHERE order_id = $1', [
        orderId,
      ]),
    ).toEqual([{ reason: 'payment failed: card declined' }]);
    await eventually(() => processed('inventory', v1.eventId), 30_000, 'inventory to read it');
  });

  it('replays a v1 dead letter with npm run dlq, and the upgraded consumer applies it', async () => {
    const orderId = crypto.randomUUID();
    const v1 = orderCancelledV1(orderId, 'insufficient stock');
    // As an old notification-service dead-lettered it (say its database was down for good).
    const producer = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const [written] = await producer.send({
      topic: 'order-cancelled-dlq',
      acks: -1,
      messages: [
        {
          key: orderId,
          value: JSON.stringify(v1),
          headers: {
            [DLQ_HEADERS.service]: 'notification-service',
            [DLQ_HEADERS.originalTopic]: 'order-cancelled',
            [DLQ_HEADERS.originalPartition]: '0',
            [DLQ_HEADERS.originalOffset]: '0',
            [DLQ_HEADERS.errorTimestamp]: new Date().toISOString(),
            [DLQ_HEADERS.errorClass]: 'Error',
            [DLQ_HEADERS.errorMessage]: 'database unavailable',
            [DLQ_HEADERS.errorStacktrace]: '',
          },
        },
      ],
    });
    await producer.disconnect();

    const replay = await runScript(
      path.join(ROOT, 'scripts', 'dlq.ts'),
      ['replay', 'order-cancelled-dlq', String(written!.partition), written!.baseOffset!],
      { KAFKA_BROKERS: testStack().endpoints().bootstrapServers.join(',') },
    );
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain('to notification-service-retry-1');

    await system.waitForNotification(orderId, 'order-cancelled');
    const [note] = await system.query<{ message: string }>(
      'notification',
      'SELECT message FROM notifications WHERE order_id = $1',
      [orderId],
    );
    expect(note?.message).toMatch(/was cancelled \(insufficient stock\)\.$/);
  });
});
