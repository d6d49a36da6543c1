import type { Transaction } from 'sequelize';
import type { Envelope } from '@shop/contracts';

/**
 * One database transaction seen by the code that writes in it, whoever opened it (an HTTP use
 * case or the consumer): write state through `transaction`, append events with `publish`, and
 * leave with `afterCommit` what must wait until all of it is durable.
 */
export interface TransactionScope {
  readonly transaction: Transaction;
  /** Appends events to the outbox in this transaction: they commit with the state. */
  readonly publish: (...events: Envelope[]) => Promise<void>;
  /** Runs once the transaction has really committed; never if it rolls back. */
  readonly afterCommit: (callback: () => void) => void;
}

/** The outbox's one operation a scope needs. */
export interface OutboxAppender {
  append(transaction: Transaction, events: readonly Envelope[]): Promise<void>;
}

/**
 * Collects what a transaction's writers leave for after the commit. Only the owner of the
 * transaction knows when it really commits, so the owner calls `committed`.
 */
export class CollectingScope implements TransactionScope {
  private readonly callbacks: Array<() => void> = [];
  private published = false;

  constructor(
    readonly transaction: Transaction,
    private readonly outbox: OutboxAppender,
  ) {}

  readonly publish = async (...events: Envelope[]): Promise<void> => {
    await this.outbox.append(this.transaction, events);
    this.published ||= events.length > 0;
  };

  readonly afterCommit = (callback: () => void): void => {
    this.callbacks.push(callback);
  };

  /**
   * A savepoint's scope. Ending a savepoint well is not a commit: its collected work joins this
   * scope's (`adopt`), and is dropped with the savepoint if that rolls back.
   */
  nested(savepoint: Transaction): CollectingScope {
    return new CollectingScope(savepoint, this.outbox);
  }

  adopt(nested: CollectingScope): void {
    this.callbacks.push(...nested.callbacks);
    this.published ||= nested.published;
  }

  /** Runs the collected callbacks in order; tells whether any events were published. */
  committed(): { readonly published: boolean } {
    for (const callback of this.callbacks.splice(0)) callback();
    return { published: this.published };
  }
}
