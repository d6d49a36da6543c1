import type { Kafka, RequestEvent } from 'kafkajs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  MESSAGE_METRICS,
  MESSAGE_STATUSES,
  OUTBOX_METRICS,
  type MessageStatus,
  type MetricSpec,
} from '@shop/observability';

type Labels = { service: string; topic: string; status: MessageStatus };

const TECHNICAL_FAILURES = new Set<MessageStatus>(['retry', 'dlq', 'error']);

/** The guide's message metrics and the outbox's, registered once per registry. */
export class MessagingMetrics {
  private static readonly byRegistry = new WeakMap<Registry, MessagingMetrics>();

  static for(registry: Registry): MessagingMetrics {
    let metrics = MessagingMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new MessagingMetrics(registry);
      MessagingMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  readonly processed: Counter<keyof Labels>;
  readonly error: Counter<keyof Labels>;
  readonly retry: Counter<keyof Labels>;
  readonly dlq: Counter<keyof Labels>;
  readonly skip: Counter<keyof Labels>;
  readonly processingTime: Histogram<keyof Labels>;
  readonly outboxPublished: Counter<'service' | 'topic'>;
  readonly kafkaRequests: Counter<'api'>;
  private readonly outboxProbes = new Map<
    string,
    () => Promise<{ backlog: number; oldestAgeSeconds: number }>
  >();

  private constructor(registry: Registry) {
    const counter = (spec: MetricSpec) =>
      new Counter({
        name: spec.name,
        help: spec.help,
        labelNames: [...spec.labels],
        registers: [registry],
      });
    this.processed = counter(MESSAGE_METRICS.processed);
    this.error = counter(MESSAGE_METRICS.error);
    this.retry = counter(MESSAGE_METRICS.retry);
    this.dlq = counter(MESSAGE_METRICS.dlq);
    this.skip = counter(MESSAGE_METRICS.skip);
    const time = MESSAGE_METRICS.processingTime;
    this.processingTime = new Histogram({
      name: time.name,
      help: time.help,
      labelNames: [...time.labels],
      buckets: [...time.buckets],
      registers: [registry],
    });
    this.outboxPublished = new Counter({
      name: OUTBOX_METRICS.published.name,
      help: OUTBOX_METRICS.published.help,
      labelNames: [...OUTBOX_METRICS.published.labels],
      registers: [registry],
    });
    this.kafkaRequests = new Counter({
      name: 'kafka_client_requests_total',
      help: "Requests this service's Kafka clients sent to the brokers, by API (Produce, Fetch, OffsetCommit, ...)",
      labelNames: ['api'],
      registers: [registry],
    });
    const probes = this.outboxProbes;
    const gauge = (spec: MetricSpec, pick: 'backlog' | 'oldestAgeSeconds') =>
      new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: [...spec.labels],
        registers: [registry],
        async collect() {
          for (const [service, probe] of probes) {
            const value = await probe().catch(() => undefined);
            if (value) this.set({ service }, value[pick]);
          }
        },
      });
    gauge(OUTBOX_METRICS.backlog, 'backlog');
    gauge(OUTBOX_METRICS.oldestAge, 'oldestAgeSeconds');
  }

  /**
   * Records one outcome in the guide's counters and the processing-time histogram. Errors are
   * technical failures (retry, DLQ, an outcome not recorded); a business rule saying no is a skip.
   */
  recordOutcome(labels: Labels, seconds: number): void {
    this.processed.inc(labels);
    this.processingTime.observe(labels, seconds);
    if (TECHNICAL_FAILURES.has(labels.status)) this.error.inc(labels);
    if (labels.status === 'retry') this.retry.inc(labels);
    if (labels.status === 'dlq') this.dlq.inc(labels);
    if (labels.status === 'skip') this.skip.inc(labels);
  }

  /**
   * Starts every series at zero: a counter that first appears at 1 is invisible to increase()
   * and rate(), so the first dead letter would never fire its alert.
   */
  initialize(service: string, topics: readonly string[]): void {
    for (const topic of topics) {
      for (const status of MESSAGE_STATUSES) {
        const labels = { service, topic, status };
        this.processed.inc(labels, 0);
        this.processingTime.zero(labels);
        if (TECHNICAL_FAILURES.has(status)) this.error.inc(labels, 0);
      }
      this.retry.inc({ service, topic, status: 'retry' }, 0);
      this.dlq.inc({ service, topic, status: 'dlq' }, 0);
      this.skip.inc({ service, topic, status: 'skip' }, 0);
    }
  }

  /**
   * Counts every request the clients made from `kafka` send, by API (kafkajs' REQUEST event):
   * round trips to the brokers are what coalescing saves, and they are visible here without a
   * JMX exporter on the brokers. Call before the clients are made.
   */
  countRequestsOf(kafka: Kafka): void {
    const count = (event: RequestEvent) => this.kafkaRequests.inc({ api: event.payload.apiName });
    const { producer, consumer, admin } = kafka;
    kafka.producer = (config) => {
      const client = producer.call(kafka, config);
      client.on(client.events.REQUEST, count);
      return client;
    };
    kafka.consumer = (config) => {
      const client = consumer.call(kafka, config);
      client.on(client.events.REQUEST, count);
      return client;
    };
    kafka.admin = (config) => {
      const client = admin.call(kafka, config);
      client.on(client.events.REQUEST, count);
      return client;
    };
  }

  /** Backlog gauges are read from the database when Prometheus scrapes. */
  watchOutbox(
    service: string,
    probe: () => Promise<{ backlog: number; oldestAgeSeconds: number }>,
  ): void {
    this.outboxProbes.set(service, probe);
  }
}
