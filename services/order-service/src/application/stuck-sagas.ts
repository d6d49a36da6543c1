import type { Order } from '../domain/order';
import type { Clock } from './clock';
import type { TransactionRunner } from './ports';
import { cutoffsAt, type SagaDeadlines } from './saga-deadlines';

export interface StuckSagas {
  readonly deadlines: SagaDeadlines;
  readonly orders: Order[];
}

/** Orders past their status's deadline, counted from when they entered it: what SagaStuck counts. */
export class StuckSagaQuery {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly deadlines: SagaDeadlines,
  ) {}

  async list(limit: number): Promise<StuckSagas> {
    const cutoffs = cutoffsAt(this.clock.now(), this.deadlines);
    const orders = await this.transactions.run((uow) => uow.orders.listOverdue(cutoffs, limit));
    return { deadlines: this.deadlines, orders };
  }
}
