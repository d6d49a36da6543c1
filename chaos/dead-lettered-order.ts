import { Client } from 'pg';
import { RELAY_LOCK_KEY } from '@shop/messaging';
import { mixedOrder } from '../scripts/order-mix';
import type { FaultContext } from './scenarios/scenario';

/**
 * An order whose OrderCreated no consumer can read: placed while order-service's relay is held,
 * its event taken out of the outbox and put on the topic as a version no reader knows, so
 * inventory- and notification-service dead-letter it. Only the saga's deadline can end it.
 */
export async function placeDeadLetteredOrder(context: FaultContext): Promise<string> {
  const relay = new Client({ connectionString: context.stack.directDatabaseUrl('order-service') });
  await relay.connect();
  let orderId: string;
  let event: string;
  try {
    await relay.query('BEGIN');
    await relay.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK_KEY]);
    const response = await fetch(context.fleet.url('order-service', '/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...mixedOrder(1, `${context.run}-dead-lettered`).request }),
    });
    if (response.status !== 201) throw new Error(`order refused: ${response.status}`);
    orderId = ((await response.json()) as { id: string }).id;
    const { rows } = await relay.query<{ value: string }>(
      `DELETE FROM outbox WHERE message_key = $1 AND event_type = 'OrderCreated' RETURNING value`,
      [orderId],
    );
    event = rows[0]!.value;
    await relay.query('COMMIT');
  } finally {
    await relay.end();
  }
  const producer = context.stack.directKafka('chaos-dead-lettered').producer();
  await producer.connect();
  try {
    const unreadable = JSON.stringify({ ...JSON.parse(event), eventVersion: 99 });
    await producer.send({
      topic: 'order-created',
      acks: -1,
      messages: [{ key: orderId, value: unreadable }],
    });
  } finally {
    await producer.disconnect();
  }
  return orderId;
}

interface OrderView {
  readonly status: string;
  readonly history: ReadonlyArray<{ readonly to: string; readonly cause: string }>;
}

/** Each dead-lettered order must have ended CANCELLED by its deadline, not by anything else. */
export async function checkDeadLetteredOrders(
  orderServiceUrl: string,
  orderIds: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const id of orderIds) {
    const order = (await (await fetch(`${orderServiceUrl}/orders/${id}`)).json()) as OrderView;
    const path = order.history.map((h) => `${h.to} (${h.cause})`).join(' → ');
    if (
      order.status !== 'CANCELLED' ||
      !order.history.some((h) => h.to === 'CANCELLING' && h.cause === 'DeadlinePassed')
    )
      problems.push(`dead-lettered order ${id} did not end CANCELLED by its deadline: ${path}`);
  }
  return problems;
}
