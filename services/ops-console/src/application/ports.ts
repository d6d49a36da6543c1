import type { DeadLetterRecord } from '../domain/dead-letter';
import type { PartitionLagRow } from '../domain/lag';
import type { TimelineStep } from '../domain/timeline';

/** Every dead letter of every DLQ, as far as the console has read them. */
export interface DeadLetterSource {
  all(): readonly DeadLetterRecord[];
  /** Whether everything that was in the DLQs when the console started has been read. */
  caughtUp(): boolean;
}

export interface SendOutcome {
  readonly id: string;
  readonly target: string;
  /** Why it was not sent; undefined when it was. */
  readonly error?: string;
}

/** Sends dead letters back to the retry path of the service that failed them. */
export interface Redriver {
  targetOf(record: DeadLetterRecord): string;
  send(records: readonly DeadLetterRecord[]): Promise<SendOutcome[]>;
}

export type RecordOutcome = 'sent' | 'failed' | 'parked' | 'already replayed';

export interface ReplayedRecord {
  readonly id: string;
  readonly service: string;
  readonly originalTopic: string;
  readonly orderId: string | null;
  readonly target: string;
  readonly replayCount: number;
  readonly outcome: RecordOutcome;
  readonly error?: string;
}

export interface Replay {
  readonly id: string;
  readonly operator: string;
  readonly requestedAt: Date;
  readonly finishedAt?: Date;
  /** What the operator asked for, in words: one record, a selection, or a filter. */
  readonly scope: string;
  readonly records: readonly ReplayedRecord[];
}

export type ReplaySummary = Omit<Replay, 'records'> & {
  readonly counts: Record<RecordOutcome, number>;
};

/** The console's own record of every replay: who, when, which records, with what outcome. */
export interface ReplayLog {
  /** The DLQ entries among `ids` that were sent back before (or are being sent now). */
  replayedAmong(ids: readonly string[]): Promise<Set<string>>;
  /**
   * Opens a replay and claims its records: a record another replay claimed first (a second
   * operator, a second replica) is not claimed again and comes back as already replayed.
   */
  begin(
    operator: string,
    scope: string,
    toSend: readonly ReplayedRecord[],
    notSent: readonly ReplayedRecord[],
  ): Promise<{ replayId: string; claimed: Set<string> }>;
  finish(replayId: string, outcomes: readonly SendOutcome[]): Promise<void>;
  recent(limit: number): Promise<ReplaySummary[]>;
  find(replayId: string): Promise<Replay | undefined>;
}

/** An order as order-service tells it. */
export interface OrderState {
  readonly id: string;
  readonly status: string;
  readonly customerId?: string;
  readonly createdAt?: string;
  readonly history: ReadonlyArray<{
    readonly from?: string | null;
    readonly to: string;
    /** What moved it: an event type, or the request that placed or cancelled it. */
    readonly cause?: string;
    /** The event id or request id of the cause. */
    readonly causeId?: string;
    readonly at?: string;
  }>;
}

/** Orders past their status's deadline, as order-service's sweep counts them (SagaStuck). */
export interface StuckSagas {
  /** The deadline of each status the saga has not finished with, in milliseconds. */
  readonly deadlinesMs: Readonly<Record<string, number>>;
  readonly orders: ReadonlyArray<OrderState & { readonly statusSince: string }>;
}

export interface Orders {
  /** undefined when order-service does not know the id. */
  find(orderId: string): Promise<OrderState | undefined>;
  stuck(limit: number): Promise<StuckSagas>;
}

/** Records carrying one order on every topic, read within bounds. */
export interface OrderRecords {
  stepsOf(orderId: string, since: Date): Promise<{ steps: TimelineStep[]; cut: string[] }>;
}

/** Steps that some source could not give, and why, so the page says what is missing. */
export interface PartialSteps {
  readonly steps: TimelineStep[];
  readonly unavailable: string[];
}

/**
 * The order's rows in every service's own tables: its outbox rows (the events not published yet
 * among them) and the processed-events rows of its events.
 */
export interface ServiceTables {
  stepsOf(orderId: string, eventIds: readonly string[]): Promise<PartialSteps>;
}

/** What notification-service told the customer about the order. */
export interface CustomerNotifications {
  stepsOf(orderId: string): Promise<PartialSteps>;
}

/** One service's outbox backlog, as its outbox gauges report it to Prometheus. */
export interface OutboxBacklog {
  readonly service: string;
  readonly unpublished?: number;
  readonly oldestAgeSeconds?: number;
  /** Why it could not be read. */
  readonly error?: string;
}

export interface OutboxBacklogSource {
  backlog(): Promise<OutboxBacklog[]>;
}

export interface LagSource {
  lag(): Promise<PartitionLagRow[]>;
}
