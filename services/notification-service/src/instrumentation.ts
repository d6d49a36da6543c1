// The first import of main.ts: tracing must hook http and pg before anything loads them, so it
// reads the standard OpenTelemetry variables itself, before the service's config is parsed.
import { startTracing } from '@shop/observability';

export const tracing = startTracing(
  'notification-service',
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
);
