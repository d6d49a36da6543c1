import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout with the service name, and the trace id where there is one, on every line. */
export function createLogger(
  service: string,
  level = 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every line written inside a traced request or record carries its trace id.
      mixin: () => {
        const span = trace.getActiveSpan();
        return span ? { traceId: span.spanContext().traceId } : {};
      },
    },
    // Synchronous writes: pino's default stream writes asynchronously, and its flush does not wait
    // for a write in flight, so the last lines before process.exit (e.g. "stopped") came out of
    // order or late.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
