// Imported first, as a service's instrumentation.ts is, so pg loads hooked.
import { startTracing } from '@shop/observability';

export const tracing = startTracing(
  'pg-spans-bench',
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
  process.env.OTEL_PG_SPANS === 'true',
);
