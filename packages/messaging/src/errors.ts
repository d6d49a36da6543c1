import { KafkaJSError } from 'kafkajs';
import {
  BaseError as SequelizeBaseError,
  ConnectionError,
  DatabaseError,
  TimeoutError as SequelizeTimeoutError,
} from 'sequelize';
import { BusinessError, InvalidEventError } from '@shop/contracts';

/**
 * A technical failure that may heal by itself: retry later. Adapters throw it (or a subclass)
 * for their own transient failures, e.g. a payment gateway that timed out.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The guide's TimeoutException: a call that took too long. */
export class TimeoutError extends TransientError {}

/** A record this consumer has no handler for: a contract violation, not a transient fault. */
export class UnhandledEventTypeError extends Error {
  override readonly name = 'UnhandledEventTypeError';
}

export type ErrorKind = 'invalid' | 'business' | 'retryable' | 'fatal';

/** SQLSTATEs that describe the database's condition, not the statement: worth another try. */
const TRANSIENT_SQLSTATE = [
  /^08(?!P01)/, // connection exception; not 08P01, a protocol violation is our bug, not the network
  /^40001$/, // serialization_failure
  /^40P01$/, // deadlock_detected
  /^53300$/, // too_many_connections
  /^55P03$/, // lock_not_available
  /^57P0[1-3]$/, // admin_shutdown, crash_shutdown, cannot_connect_now
  /^57014$/, // query_canceled (statement timeout)
];

/** Socket-level failures: the guide's SocketTimeoutException and friends. */
const TRANSIENT_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
]);

/**
 * The one place that decides what an error means for a record, by its type and codes,
 * never by its message text:
 * - invalid: the record itself is malformed (DLQ at once);
 * - business: a domain rule said no (skip);
 * - retryable: DB connection or timeout, Kafka, socket timeout, timeout (retry topic, then DLQ);
 * - fatal: anything else, a bug until proven otherwise (DLQ).
 */
export function classifyError(error: unknown): ErrorKind {
  if (error instanceof InvalidEventError || error instanceof UnhandledEventTypeError)
    return 'invalid';
  if (error instanceof BusinessError) return 'business';
  if (isTransient(error)) return 'retryable';
  return 'fatal';
}

function isTransient(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (error instanceof TransientError) return true;
  if (error instanceof ConnectionError || error instanceof SequelizeTimeoutError) return true;
  // kafkajs gives up with a non-retriable "number of retries exceeded" that wraps what failed: a
  // broker that stayed away is still a broker away, not a bug.
  if (error instanceof KafkaJSError)
    return error.retriable || isTransient((error as { cause?: unknown }).cause, depth + 1);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_SYSCALL_CODES.has(code)) return true;
    if (isPgError(error) && TRANSIENT_SQLSTATE.some((re) => re.test(code))) return true;
  }
  if (error instanceof DatabaseError || error instanceof SequelizeBaseError) {
    const original = (error as { original?: unknown }).original;
    // pg's client refuses by itself once its connection broke ("not queryable", "Connection
    // terminated"): no SQLSTATE, because the server never saw the statement. It is the connection,
    // not the data (seen in the chaos run: a PostgreSQL restart dead-lettered good records).
    if (error instanceof DatabaseError && isClientSideRefusal(original)) return true;
    return isTransient(original, depth + 1);
  }
  return isTransient((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * A deadlock or serialization failure: two transactions wanted each other's rows. Applying the
 * same work in smaller transactions avoids it, so the consumer splits a chunk that meets one.
 */
export function isLockConflict(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (isPgError(error) && (code === '40P01' || code === '40001')) return true;
  const inner = (error as { original?: unknown; cause?: unknown }).original ?? error.cause;
  return isLockConflict(inner, depth + 1);
}

/** An error pg's client raised itself, with no code from the server or the socket. */
function isClientSideRefusal(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.constructor === Error &&
    (error as { code?: unknown }).code === undefined
  );
}

/** pg's DatabaseError carries a five-character SQLSTATE in `code` and a `severity`. */
function isPgError(error: Error): boolean {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e.code === 'string' && e.code.length === 5 && typeof e.severity === 'string';
}

export function errorClassName(error: unknown): string {
  if (error instanceof Error) return error.name !== 'Error' ? error.name : error.constructor.name;
  return typeof error;
}
