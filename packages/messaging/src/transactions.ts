import type { Sequelize } from 'sequelize';
import { eventSubscription, type EventHandlers, type EventSubscription } from './consumer/handlers';
import { CollectingScope, type OutboxAppender, type TransactionScope } from './transaction-scope';

/**
 * Opens scopes: a transaction whose after-commit work runs once it commits, and which wakes the
 * outbox relay when it committed new events. Both ways in (HTTP use cases, consumed events) go
 * through one of these.
 */
export class TransactionScopes {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: OutboxAppender,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async run<T>(work: (scope: CollectingScope) => Promise<T>): Promise<T> {
    let scope: CollectingScope | undefined;
    const result = await this.sequelize.transaction((transaction) => {
      scope = new CollectingScope(transaction, this.outbox);
      return work(scope);
    });
    if (scope!.committed().published) this.onEventsCommitted();
    return result;
  }

  /** Use cases of one service run in these: each gets its unit of work over a fresh scope. */
  of<UnitOfWork>(unitOfWork: UnitOfWorkFactory<UnitOfWork>): Transactions<UnitOfWork> {
    return new Transactions(this, unitOfWork);
  }
}

/** Builds a service's unit of work (its repositories, `publish`, `afterCommit`) over a scope. */
export type UnitOfWorkFactory<UnitOfWork> = (scope: TransactionScope) => UnitOfWork;

/** A service's use cases, each run in one transaction with the outbox. */
export class Transactions<UnitOfWork> {
  constructor(
    private readonly scopes: TransactionScopes,
    readonly unitOfWork: UnitOfWorkFactory<UnitOfWork>,
  ) {}

  run<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.scopes.run((scope) => work(this.unitOfWork(scope)));
  }

  /** The consumed events, each handled with the same unit of work over the consumer's scope. */
  subscribe(handlers: EventHandlers<UnitOfWork>): EventSubscription {
    return eventSubscription(handlers, this.unitOfWork);
  }
}
