import crypto from 'node:crypto';
import { QueryTypes, Sequelize } from 'sequelize';
import { Outbox, TransactionScopes, createMigrator } from '@shop/messaging';
import { createTestDatabase } from '@shop/testkit';
import { Order } from '../src/domain/order';
import { ORDER_MIGRATIONS } from '../src/adapters/persistence/migrations';
import { orderUnitOfWork } from '../src/adapters/persistence/sql-order-store';
import {
  SagaDeadlineSweep,
  cutoffsAt,
  type SagaDeadlines,
} from '../src/application/saga-deadlines';
import type { ActiveStatus, DeadlineMetrics } from '../src/application/ports';

const MINUTE = 60_000;
const DEADLINES: SagaDeadlines = {
  PENDING: 5 * MINUTE,
  CONFIRMED: 15 * MINUTE,
  CANCELLING: 5 * MINUTE,
};
const NOW = new Date();
const ago = (ms: number) => new Date(NOW.getTime() - ms);

/**
 * Holds each replica's first claim until the other has claimed too (or a second has passed), so
 * the two sweeps overlap for sure: both hold what they claimed while the other claims.
 */
function overlapBarrier(replicas: number) {
  let arrived = 0;
  let release: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    if (++arrived === replicas) release();
    await Promise.race([all, new Promise((r) => setTimeout(r, 1_000))]);
  };
}

/** One replica of order-service: its own connection pool, its own sweep. */
function replica(url: string, preparedStatements: boolean, claimed: () => Promise<void>) {
  const sequelize = new Sequelize(url, { logging: false, dialect: 'postgres' });
  const unitOfWork = orderUnitOfWork(sequelize, { preparedStatements });
  const transactions = new TransactionScopes(sequelize, new Outbox(sequelize)).of((scope) => {
    const uow = unitOfWork(scope);
    const claimOverdue = uow.orders.claimOverdue.bind(uow.orders);
    uow.orders.claimOverdue = async (...args) => {
      const orders = await claimOverdue(...args);
      await claimed();
      return orders;
    };
    return uow;
  });
  const passed: ActiveStatus[] = [];
  const overdue: Array<Record<ActiveStatus, number>> = [];
  const metrics: DeadlineMetrics = {
    deadlinePassed: (status) => passed.push(status),
    overdue: (counts) => overdue.push(counts),
    sweepFailed: (error) => {
      throw error;
    },
  };
  // A batch of 2 makes a sweep take several transactions, as it does with a real backlog.
  const sweep = new SagaDeadlineSweep(transactions, { now: () => NOW }, DEADLINES, metrics, 2);
  return { sequelize, transactions, sweep, passed, overdue };
}

function placedAt(at: Date): Order {
  return Order.place(
    {
      id: crypto.randomUUID(),
      customerId: 'alice',
      lines: [{ productId: 'P', quantity: 1 }],
      paymentMethod: { type: 'card', reference: 't' },
    },
    { name: 'OrderPlaced', id: crypto.randomUUID(), at },
  ).order;
}

function confirmedAt(placed: Date, confirmed: Date): Order {
  const order = placedAt(placed);
  order.confirm([{ productId: 'P', quantity: 1, unitPriceCents: 500 }], 500, 'USD', {
    name: 'StockReserved',
    id: crypto.randomUUID(),
    at: confirmed,
  });
  return order;
}

function cancellingSince(placed: Date, since: Date): Order {
  const order = placedAt(placed);
  order.requestCancel('changed my mind', { name: 'CancelRequested', id: 'r', at: since });
  return order;
}

describe.each([
  { path: 'Sequelize', preparedStatements: false },
  { path: 'prepared statements', preparedStatements: true },
])('the saga deadline sweep on PostgreSQL, two replicas ($path)', ({ preparedStatements }) => {
  let drop: () => Promise<void>;
  let a: ReturnType<typeof replica>;
  let b: ReturnType<typeof replica>;

  beforeAll(async () => {
    const db = await createTestDatabase('order-deadlines');
    drop = db.drop;
    const claimed = overlapBarrier(2);
    a = replica(db.url, preparedStatements, claimed);
    b = replica(db.url, preparedStatements, claimed);
    await createMigrator(a.sequelize, ORDER_MIGRATIONS).up();
  });
  afterAll(async () => {
    await a.sequelize.close();
    await b.sequelize.close();
    await drop();
  });

  const cancelsPublished = async (orderId: string) =>
    (
      await a.sequelize.query<{ value: string }>(
        `SELECT value FROM outbox WHERE message_key = $1 AND event_type = 'OrderCancelled'`,
        { bind: [orderId], type: QueryTypes.SELECT },
      )
    ).map((r) => JSON.parse(r.value).payload.reason);

  it('compensates each overdue order exactly once, leaves the rest alone, and counts what stays stuck', async () => {
    const overduePending = [1, 2, 3].map(() => placedAt(ago(6 * MINUTE)));
    const overdueConfirmed = confirmedAt(ago(40 * MINUTE), ago(16 * MINUTE));
    // Placed long ago, but confirmed a minute ago: its CONFIRMED deadline is far off.
    const freshConfirmed = confirmedAt(ago(40 * MINUTE), ago(1 * MINUTE));
    const freshPending = placedAt(ago(4 * MINUTE));
    const overdueCancelling = cancellingSince(ago(20 * MINUTE), ago(6 * MINUTE));
    const completed = confirmedAt(ago(60 * MINUTE), ago(59 * MINUTE));
    completed.complete({ name: 'StockDeducted', id: 'd', at: ago(58 * MINUTE) });
    const all = [
      ...overduePending,
      overdueConfirmed,
      freshConfirmed,
      freshPending,
      overdueCancelling,
      completed,
    ];
    await a.transactions.run(async (uow) => {
      for (const order of all) await uow.orders.insert(order);
    });

    const [fromA, fromB] = await Promise.all([a.sweep.sweep(), b.sweep.sweep()]);

    // Six orders were overdue; between them the two replicas moved each once.
    expect([...a.passed, ...b.passed].sort()).toEqual([
      'CANCELLING',
      'CONFIRMED',
      'PENDING',
      'PENDING',
      'PENDING',
    ]);
    expect(fromA!.passed.PENDING + fromB!.passed.PENDING).toBe(3);
    const load = (order: Order) => a.transactions.run((uow) => uow.orders.findById(order.id));
    for (const order of [...overduePending, overdueConfirmed]) {
      const now = (await load(order))!;
      expect(now.status).toBe('CANCELLING');
      expect(now.cancellationKind()).toBe('deadline_passed');
      expect(now.snapshot.history.filter((h) => h.cause === 'DeadlinePassed')).toHaveLength(1);
      expect(await cancelsPublished(order.id)).toEqual([
        {
          code: 'deadline_passed',
          detail: `no ${order.status === 'PENDING' ? 'stock' : 'payment'} answer before the deadline`,
        },
      ]);
    }
    // The customer's cancel is announced again, still as the customer's.
    const reminded = (await load(overdueCancelling))!;
    expect(reminded.status).toBe('CANCELLING');
    expect(reminded.snapshot.history.at(-1)).toMatchObject({
      from: 'CANCELLING',
      to: 'CANCELLING',
      cause: 'DeadlinePassed',
    });
    expect(await cancelsPublished(overdueCancelling.id)).toEqual([
      { code: 'customer', detail: 'changed my mind' },
    ]);
    for (const order of [freshConfirmed, freshPending, completed]) {
      expect((await load(order))!.snapshot).toEqual(order.snapshot);
      expect(await cancelsPublished(order.id)).toEqual([]);
    }

    // What the sweep cannot mend: the reminded order is still CANCELLING past its deadline. (A
    // replica that finished first may have counted an order the other was still moving.)
    for (const { overdue } of [fromA!, fromB!]) {
      expect(overdue.CANCELLING).toBe(1);
      expect(overdue.CONFIRMED + overdue.PENDING).toBeLessThanOrEqual(4);
    }
    expect(
      await a.transactions.run((uow) => uow.orders.countOverdue(cutoffsAt(NOW, DEADLINES))),
    ).toEqual({ PENDING: 0, CONFIRMED: 0, CANCELLING: 1 });

    // The list the console shows is what the gauge counts.
    const stuck = await a.transactions.run((uow) =>
      uow.orders.listOverdue(cutoffsAt(NOW, DEADLINES), 10),
    );
    expect(stuck.map((o) => [o.id, o.status])).toEqual([[overdueCancelling.id, 'CANCELLING']]);

    // Sweeping again changes nothing: the reminder reset its deadline, the others are fresh.
    await Promise.all([a.sweep.sweep(), b.sweep.sweep()]);
    expect(a.passed.length + b.passed.length).toBe(5);
  });
});
