import type { Envelope, EventType } from '@shop/contracts';
import type { TransactionScope } from '../transaction-scope';
import type { UnitOfWorkFactory } from '../transactions';

/**
 * Applies one consumed event. It runs inside the consumer's transaction, which also records the
 * event as processed: the service's unit of work is built over that transaction's scope.
 */
export type EventHandler<T extends EventType, UnitOfWork = TransactionScope> = (
  event: Envelope<T>,
  uow: UnitOfWork,
) => Promise<void>;

/**
 * Runs once per transaction of records, before their handlers, with the events in it that were
 * not processed before. A handler set whose events lock shared rows takes all of the chunk's locks
 * here in one order, so chunks of two partitions cannot deadlock over them.
 */
export type ChunkStep<UnitOfWork = TransactionScope> = (
  events: readonly Envelope[],
  uow: UnitOfWork,
) => Promise<void>;

export type EventHandlers<UnitOfWork = TransactionScope> = {
  [T in EventType]?: EventHandler<T, UnitOfWork>;
} & { readonly beforeChunk?: ChunkStep<UnitOfWork> };

/** What a consumer applies: its handlers, each given its unit of work over the record's scope. */
export interface EventSubscription {
  handles(eventType: EventType): boolean;
  apply(event: Envelope, scope: TransactionScope): Promise<void>;
  readonly beforeChunk?: ChunkStep;
}

export function eventSubscription(handlers: EventHandlers): EventSubscription;
export function eventSubscription<UnitOfWork>(
  handlers: EventHandlers<UnitOfWork>,
  unitOfWork: UnitOfWorkFactory<UnitOfWork>,
): EventSubscription;
export function eventSubscription<UnitOfWork>(
  handlers: EventHandlers<UnitOfWork>,
  // Only the first signature leaves it out, and there the unit of work is the scope itself.
  unitOfWork = ((scope) => scope) as UnitOfWorkFactory<UnitOfWork>,
): EventSubscription {
  const { beforeChunk } = handlers;
  return {
    handles: (eventType) => handlers[eventType] !== undefined,
    apply: (event, scope) =>
      (handlers[event.eventType] as EventHandler<EventType, UnitOfWork>)(event, unitOfWork(scope)),
    ...(beforeChunk && {
      beforeChunk: (events, scope) => beforeChunk(events, unitOfWork(scope)),
    }),
  };
}
