import crypto from 'node:crypto';
import { DEADLINE_PASSED } from '../domain/order';
import type { Clock } from './clock';
import { toEnvelopes } from './order-events';
import {
  ACTIVE_STATUSES,
  type ActiveStatus,
  type DeadlineCutoffs,
  type DeadlineMetrics,
  type TransactionRunner,
} from './ports';

/** How long an order may stay in each status the saga has not finished with, in milliseconds. */
export type SagaDeadlines = Readonly<Record<ActiveStatus, number>>;

export interface SweepResult {
  /** Orders moved or reminded, by the status they were in. */
  readonly passed: Record<ActiveStatus, number>;
  /** Orders still past their deadline afterwards, counted from when they entered their status. */
  readonly overdue: Record<ActiveStatus, number>;
}

/**
 * Times out the saga. Every replica sweeps at its interval; each sweep claims overdue orders with
 * SKIP LOCKED inside its own transaction and moves them in it, so an order is compensated once
 * even when replicas sweep at the same moment: the second finds it locked or no longer overdue.
 */
export class SagaDeadlineSweep {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly deadlines: SagaDeadlines,
    private readonly metrics: DeadlineMetrics,
    private readonly batchSize: number,
  ) {}

  async sweep(): Promise<SweepResult | undefined> {
    try {
      const passed = zero();
      let claimed: number;
      do {
        claimed = await this.sweepBatch(passed);
      } while (claimed === this.batchSize);
      const overdue = await this.transactions.run((uow) =>
        uow.orders.countOverdue(this.cutoffs(this.clock.now())),
      );
      this.metrics.overdue(overdue);
      return { passed, overdue };
    } catch (error) {
      this.metrics.sweepFailed(error);
      return undefined;
    }
  }

  private sweepBatch(passed: Record<ActiveStatus, number>): Promise<number> {
    return this.transactions.run(async (uow) => {
      const now = this.clock.now();
      const orders = await uow.orders.claimOverdue(this.cutoffs(now), this.batchSize);
      for (const order of orders) {
        const status = order.status as ActiveStatus;
        const causeId = crypto.randomUUID();
        const events = order.passDeadline({ name: DEADLINE_PASSED, id: causeId, at: now });
        await uow.orders.update(order);
        await uow.publish(
          ...toEnvelopes(order, events, { correlationId: order.id, causationId: causeId }, now),
        );
        passed[status]++;
        uow.afterCommit(() => this.metrics.deadlinePassed(status));
      }
      return orders.length;
    });
  }

  private cutoffs(now: Date): DeadlineCutoffs {
    return cutoffsAt(now, this.deadlines);
  }
}

/** Per active status, the instant before which an order in it is past its deadline. */
export function cutoffsAt(now: Date, deadlines: SagaDeadlines): DeadlineCutoffs {
  const cutoff = (status: ActiveStatus) => new Date(now.getTime() - deadlines[status]);
  return {
    PENDING: cutoff('PENDING'),
    CONFIRMED: cutoff('CONFIRMED'),
    CANCELLING: cutoff('CANCELLING'),
  };
}

function zero(): Record<ActiveStatus, number> {
  return Object.fromEntries(ACTIVE_STATUSES.map((s) => [s, 0])) as Record<ActiveStatus, number>;
}
