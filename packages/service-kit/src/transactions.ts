import type { Sequelize, Transaction } from 'sequelize';
import type { Envelope } from '@shop/contracts';
import type { Outbox } from '@shop/messaging';

export type Publish = (...events: Envelope[]) => Promise<void>;

/** Runs a callback once the unit of work's transaction has committed (never on rollback). */
export type AfterCommit = (callback: () => void) => void;

/**
 * A savepoint's "commit" only ends the savepoint (the consumer applies each record in one), so
 * the callback moves up to the enclosing transaction and runs when that really commits.
 */
export function afterCommitOf(transaction: Transaction): AfterCommit {
  return (callback) =>
    transaction.afterCommit(() => {
      const parent = (transaction as Transaction & { parent?: Transaction }).parent;
      if (parent) afterCommitOf(parent)(callback);
      else callback();
    });
}

/**
 * Runs a use case in one database transaction with a unit of work whose `publish` writes to the
 * outbox in that transaction; once it commits with events, the relay is nudged.
 */
export class OutboxTransactions<UnitOfWork> {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: Outbox,
    private readonly unitOfWork: (transaction: Transaction, publish: Publish) => UnitOfWork,
    private readonly onCommitWithEvents: () => void = () => undefined,
  ) {}

  run<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.sequelize.transaction(async (transaction) => {
      let published = false;
      const result = await work(
        this.unitOfWork(transaction, async (...events) => {
          await this.outbox.append(transaction, events);
          published ||= events.length > 0;
        }),
      );
      if (published) transaction.afterCommit(this.onCommitWithEvents);
      return result;
    });
  }
}
