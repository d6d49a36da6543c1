import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { headerString } from './headers';

const tracer = trace.getTracer('@shop/messaging');

/** The W3C trace context of the active span, as headers to store with an outbox row. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * The context a record (or stored outbox row) was produced in. Only the propagator's own headers
 * are decoded (none when tracing is off), not every header of every record.
 */
export function contextOf(headers: IHeaders | Record<string, string> | undefined): Context {
  const carrier: Record<string, string> = {};
  if (headers) {
    for (const name of propagation.fields()) {
      const value = headerString(headers as IHeaders, name);
      if (value !== undefined) carrier[name] = value;
    }
  }
  return propagation.extract(context.active(), carrier);
}

/** A producer span for one record, child of the context the event was written in. */
export function publishSpan(
  topic: string,
  parent: Context,
): { span: Span; headers: Record<string, string> } {
  const span = tracer.startSpan(
    `${topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
    },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

/** Runs a record's processing inside a consumer span, child of the producer's. */
export function withConsumerSpan<T>(
  topic: string,
  group: string,
  headers: IHeaders | undefined,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.source.name': topic,
        'messaging.consumer.group.name': group,
      },
    },
    contextOf(headers),
    async (span) => {
      try {
        return await work(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** `fn`, to run later in the trace context that is active now (for work deferred past a span). */
export function inCurrentContext<A extends unknown[]>(
  fn: (...args: A) => void,
): (...args: A) => void {
  return context.bind(context.active(), fn);
}
