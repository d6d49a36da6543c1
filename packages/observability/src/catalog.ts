/**
 * The metrics catalog: every metric name, label and bucket is written here once and read by the
 * services, the alert and dashboard generators, and the tests.
 */

/** The guide's status tag: success|error|retry|dlq|skip. */
export const MESSAGE_STATUSES = ['success', 'error', 'retry', 'dlq', 'skip'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const MESSAGE_LABELS = ['service', 'topic', 'status'] as const;

export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram' | 'gauge';
  readonly labels: readonly string[];
  readonly buckets?: readonly number[];
}

/** Prometheus names of the guide's Micrometer metrics (kafka.messages.*). */
export const MESSAGE_METRICS = {
  processed: {
    name: 'kafka_messages_processed_total',
    help: 'Records a consumer finished with, by outcome',
    type: 'counter',
    labels: MESSAGE_LABELS,
  },
  error: {
    name: 'kafka_messages_error_total',
    help: 'Records that failed technically (malformed, retryable or unexpected error), by the outcome it led to',
    type: 'counter',
    labels: MESSAGE_LABELS,
  },
  retry: {
    name: 'kafka_messages_retry_total',
    help: 'Records sent to the consuming service retry topic after a retryable technical error',
    type: 'counter',
    labels: MESSAGE_LABELS,
  },
  dlq: {
    name: 'kafka_messages_dlq_total',
    help: 'Records sent to a dead letter topic',
    type: 'counter',
    labels: MESSAGE_LABELS,
  },
  skip: {
    name: 'kafka_messages_skip_total',
    help: 'Records skipped: business rule violations and already processed events',
    type: 'counter',
    labels: MESSAGE_LABELS,
  },
  processingTime: {
    name: 'kafka_messages_processing_time_seconds',
    help: 'Time from taking a record to recording its outcome',
    type: 'histogram',
    labels: MESSAGE_LABELS,
    // 5 s and 10 s are the guide's warning and critical processing-time thresholds.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
} as const satisfies Record<string, MetricSpec>;

export const OUTBOX_METRICS = {
  published: {
    name: 'outbox_events_published_total',
    help: 'Outbox rows published to Kafka',
    type: 'counter',
    labels: ['service', 'topic'],
  },
  backlog: {
    name: 'outbox_backlog_events',
    help: 'Outbox rows not yet published',
    type: 'gauge',
    labels: ['service'],
  },
  oldestAge: {
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none)',
    type: 'gauge',
    labels: ['service'],
  },
} as const satisfies Record<string, MetricSpec>;

/**
 * Kafka's health, as a metric rather than a readiness check: readiness follows the database only
 * (the outbox keeps orders while Kafka is away), so a Kafka outage shows here and in alerts.
 */
export const KAFKA_CONNECTION_METRICS = {
  connected: {
    name: 'kafka_connected',
    help: '1 when the service is connected to Kafka, in its consumer group (if it consumes) and the cluster answers now; 0 otherwise',
    type: 'gauge',
    labels: [],
  },
} as const satisfies Record<string, MetricSpec>;

/** Why an order ended cancelled, as a bounded label. */
export const CANCELLATION_REASONS = [
  'insufficient_stock',
  'payment_failed',
  'deadline_passed',
  'customer',
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export const RESERVATION_OUTCOMES = ['reserved', 'insufficient'] as const;
export const PAYMENT_OUTCOMES = ['captured', 'declined', 'refunded', 'voided'] as const;

/** The guide's business metrics: order throughput and success, stock accuracy, payment completion. */
export const BUSINESS_METRICS = {
  ordersCreated: {
    name: 'orders_created_total',
    help: 'Orders accepted (PENDING)',
    type: 'counter',
    labels: [],
  },
  ordersCompleted: {
    name: 'orders_completed_total',
    help: 'Orders that reached COMPLETED',
    type: 'counter',
    labels: [],
  },
  ordersCancelled: {
    name: 'orders_cancelled_total',
    help: 'Orders that reached CANCELLED, by reason',
    type: 'counter',
    labels: ['reason'],
  },
  stockReservations: {
    name: 'stock_reservations_total',
    help: 'Stock reservation attempts, by outcome',
    type: 'counter',
    labels: ['outcome'],
  },
  payments: {
    name: 'payments_total',
    help: 'Payment outcomes: captured, declined, refunded, voided',
    type: 'counter',
    labels: ['outcome'],
  },
  stockAccuracy: {
    name: 'stock_accuracy_ratio',
    help: 'Share of products whose stock reconciled at the last successful reconciliation (1 = every product); absent until one succeeds',
    type: 'gauge',
    labels: [],
  },
  stockReconciliationLastSuccess: {
    name: 'stock_reconciliation_last_success_timestamp_seconds',
    help: 'When the last successful stock reconciliation ran, whichever replica ran it (unix seconds); absent until one succeeds',
    type: 'gauge',
    labels: [],
  },
  stockReconciliationFailures: {
    name: 'stock_reconciliation_failures_total',
    help: 'Stock reconciliation rounds that failed on this replica',
    type: 'counter',
    labels: [],
  },
} as const satisfies Record<string, MetricSpec>;

/** order-service's saga deadlines (docs/services.md): what the sweep moved and what stays stuck. */
export const SAGA_DEADLINE_METRICS = {
  deadlinePassed: {
    name: 'saga_deadline_passed_total',
    help: 'Orders whose deadline passed, by the status they were in: PENDING and CONFIRMED ones were cancelled, CANCELLING ones had their cancel announced again',
    type: 'counter',
    labels: ['status'],
  },
  stuck: {
    name: 'saga_stuck_orders',
    help: 'Orders still in a status the saga has not finished past its deadline, counted from when they entered it, all replicas together, at the last sweep',
    type: 'gauge',
    labels: ['status'],
  },
  sweepFailures: {
    name: 'saga_deadline_sweep_failures_total',
    help: 'Deadline sweeps that failed on this replica',
    type: 'counter',
    labels: [],
  },
} as const satisfies Record<string, MetricSpec>;

/** notification-service's deliveries: at least once, given up as FAILED after the last attempt. */
export const NOTIFICATION_METRICS = {
  sent: {
    name: 'notifications_sent_total',
    help: 'Notifications the provider took (marked SENT), by template',
    type: 'counter',
    labels: ['template'],
  },
  sendErrors: {
    name: 'notifications_send_errors_total',
    help: 'Send attempts that failed or timed out, by template; each is retried until the last',
    type: 'counter',
    labels: ['template'],
  },
  failed: {
    name: 'notifications_failed_total',
    help: 'Notifications given up after their last attempt failed (marked FAILED), by template',
    type: 'counter',
    labels: ['template'],
  },
  pending: {
    name: 'notifications_pending',
    help: 'Notifications recorded and not yet sent (PENDING), all replicas together',
    type: 'gauge',
    labels: [],
  },
} as const satisfies Record<string, MetricSpec>;

/** The guide's alert thresholds (docs/guide-mapping.md §11), read by the alert generator and its tests. */
export const ALERT_THRESHOLDS = {
  /** Share of records that failed technically. */
  errorRate: { warning: 0.05, critical: 0.1 },
  /** Average processing time per record, seconds. */
  processingTimeSeconds: { warning: 5, critical: 10 },
  /** Records behind, per consumer group and topic. */
  consumerLag: { warning: 1000, critical: 5000 },
} as const;
