import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

const PG_SPANS_BY_DEFAULT = false;

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry for one service process: HTTP in and out, PostgreSQL when OTEL_PG_SPANS asks,
 * and (through the messaging kit) Kafka produce and consume, exported over OTLP/HTTP. Must start
 * before `http` and `pg` are loaded, so the composition root calls it first. Without an endpoint,
 * context still propagates (trace ids in logs and record headers) but nothing is exported.
 */
export function startTracing(
  service: string,
  otlpEndpoint: string | undefined,
  pgSpans = pgSpansOf(process.env.OTEL_PG_SPANS),
): Tracing {
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    // Without an endpoint the SDK would fall back to exporting to localhost:4318: every span would
    // be a failed request, and the flush at shutdown would fail a clean SIGTERM (exit 1). A no-op
    // processor keeps the provider, so trace context still propagates, and exports nothing.
    spanProcessors: [
      otlpEndpoint
        ? new tracing.BatchSpanProcessor(
            new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
          )
        : new tracing.NoopSpanProcessor(),
    ],
    // Metrics are Prometheus' (prom-client, /metrics) and logs are pino's (stdout). Left to its
    // defaults the SDK would also push both over OTLP, to localhost:4318 when no endpoint is set,
    // and its final push, retried against nobody, held every SIGTERM for ~9 s.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) =>
          req.url === '/metrics' || (req.url ?? '').startsWith('/health'),
      }),
      new UndiciInstrumentation(),
      ...(pgSpans ? [new PgInstrumentation({ requireParentSpan: true })] : []),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * OTEL_PG_SPANS: a span for every PostgreSQL query under a traced request or record ("true"), or
 * none ("false", the default). Off because an order runs ~100 statements and each span costs
 * about a third more CPU per query with nothing exported (median ratio 1.31 over seven
 * interleaved rounds), about two thirds more when exported over OTLP (1.69); a 10 % sampler
 * saves little (1.29), since the instrumentation still wraps every query (bench/outbox/pg-spans.ts).
 * HTTP and Kafka spans, and the trace context in logs and record headers, do not depend on it.
 */
export function pgSpansOf(value: string | undefined): boolean {
  if (value === undefined || value === '') return PG_SPANS_BY_DEFAULT;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`OTEL_PG_SPANS must be true or false, not ${JSON.stringify(value)}`);
}
