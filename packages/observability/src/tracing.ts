import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry for one service process: HTTP in and out, PostgreSQL, and (through the messaging
 * kit) Kafka produce and consume, exported over OTLP/HTTP. Must start before `http` and `pg` are
 * loaded, so the composition root calls it first. Without an endpoint, context still propagates
 * (trace ids in logs and record headers) but nothing is exported.
 */
export function startTracing(service: string, otlpEndpoint: string | undefined): Tracing {
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
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
