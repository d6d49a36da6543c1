import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from 'kafkajs';
import {
  ConnectionRefusedError,
  DatabaseError,
  TimeoutError as SequelizeTimeoutError,
  UniqueConstraintError,
} from 'sequelize';
import { BusinessError, InvalidEventError } from '@shop/contracts';
import {
  TimeoutError,
  TransientError,
  UnhandledEventTypeError,
  classifyError,
  errorClassName,
  isLockConflict,
} from './errors';

class InsufficientStockError extends BusinessError {}

function pgError(code: string): Error {
  return Object.assign(new Error('pg says no'), { code, severity: 'ERROR' });
}

function syscallError(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect' });
}

/** An error `levels` causes deep around `inner`. */
function wrapped(inner: Error, levels: number): Error {
  let error = inner;
  for (let i = 0; i < levels; i++) error = new Error(`level ${i}`, { cause: error });
  return error;
}

describe('classifyError', () => {
  it.each([
    ['a malformed event', new InvalidEventError('bad'), 'invalid'],
    ['an event type nobody handles', new UnhandledEventTypeError('x'), 'invalid'],
    ['a business rule', new InsufficientStockError('short'), 'business'],
    ['a transient adapter error', new TransientError('gateway 503'), 'retryable'],
    ['the guide TimeoutException', new TimeoutError('slow'), 'retryable'],
    [
      'a refused DB connection (sequelize)',
      new ConnectionRefusedError(new Error('refused')),
      'retryable',
    ],
    [
      'a sequelize query timeout',
      new SequelizeTimeoutError(Object.assign(pgError('57014'), { sql: 'SELECT 1' })),
      'retryable',
    ],
    ['a serialization failure', new DatabaseError(pgError('40001') as never), 'retryable'],
    [
      "a query on a pg client whose connection broke (sequelize's DatabaseError, no SQLSTATE)",
      new DatabaseError(
        new Error('Client has encountered a connection error and is not queryable') as never,
      ),
      'retryable',
    ],
    ['a deadlock', pgError('40P01'), 'retryable'],
    ['an admin shutdown', pgError('57P01'), 'retryable'],
    ['a connection exception class 08', pgError('08006'), 'retryable'],
    ['a retriable Kafka error', new KafkaJSConnectionError('broker gone'), 'retryable'],
    [
      'kafkajs giving up on a broker that stayed away',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error'), {
        retryCount: 5,
        retryTime: 8000,
      }),
      'retryable',
    ],
    [
      'a socket reset',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'retryable',
    ],
    [
      'an AbortSignal timeout',
      Object.assign(new Error('The operation was aborted due to timeout'), {
        name: 'TimeoutError',
      }),
      'retryable',
    ],
    [
      'a transient cause inside a wrapper',
      new Error('wrapped', { cause: pgError('08001') }),
      'retryable',
    ],
    ['a unique violation', new UniqueConstraintError({}), 'fatal'],
    ['a syntax error in SQL', pgError('42601'), 'fatal'],
    ['a protocol violation (a client bug)', pgError('08P01'), 'fatal'],
    ['a non-retriable Kafka error', new KafkaJSNonRetriableError('nope'), 'fatal'],
    [
      'a protocol error Kafka will not retry',
      new KafkaJSProtocolError(
        Object.assign(new Error('bad'), { type: 'X', code: 1, retriable: false }),
      ),
      'fatal',
    ],
    ['a programming error', new TypeError('undefined is not a function'), 'fatal'],
    ['a request timeout of the request library', syscallError('ESOCKETTIMEDOUT'), 'retryable'],
    [
      'an aborted call',
      Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
      'retryable',
    ],
    ['a lock that could not be taken', pgError('55P03'), 'retryable'],
    ['too many connections', pgError('53300'), 'retryable'],
    ['a crash shutdown', pgError('57P02'), 'retryable'],
    ['a server not accepting connections yet', pgError('57P03'), 'retryable'],
    ['a statement timeout', pgError('57014'), 'retryable'],
    // Only class 08 is the connection: 22008 (datetime overflow) merely ends in 08.
    ['a datetime field overflow', pgError('22008'), 'fatal'],
    ['a SQLSTATE-looking code of the wrong length', pgError('0800'), 'fatal'],
    [
      'a statement error wrapped by sequelize',
      new DatabaseError(pgError('42601') as never),
      'fatal',
    ],
    [
      // Not pg refusing a broken connection: the driver itself failed, a bug.
      'a driver TypeError wrapped by sequelize',
      new DatabaseError(new TypeError('cannot read properties of undefined') as never),
      'fatal',
    ],

    ['a thrown string', 'oops', 'fatal'],
  ])('treats %s as %s', (_, error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });

  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])(
    'treats a socket failing with %s as retryable',
    (code) => {
      expect(classifyError(syscallError(code))).toBe('retryable');
    },
  );

  it('does not look at message text', () => {
    expect(classifyError(new Error('connection timeout ECONNREFUSED deadlock'))).toBe('fatal');
  });

  it('follows causes five levels deep and no further', () => {
    expect(classifyError(wrapped(pgError('40001'), 5))).toBe('retryable');
    expect(classifyError(wrapped(pgError('40001'), 6))).toBe('fatal');
  });

  it('ends on cause chains that loop back on themselves', () => {
    const plain = new Error('loop');
    plain.cause = plain;
    const kafka = new KafkaJSNonRetriableError('loop');
    (kafka as { cause?: unknown }).cause = kafka;
    const sequelize = new DatabaseError(pgError('42601') as never);
    (sequelize as { original: unknown }).original = sequelize;
    expect(classifyError(plain)).toBe('fatal');
    expect(classifyError(kafka)).toBe('fatal');
    expect(classifyError(sequelize)).toBe('fatal');
  });
});

describe('errorClassName', () => {
  it('names typed errors by their class', () => {
    expect(errorClassName(new InsufficientStockError('x'))).toBe('InsufficientStockError');
    expect(errorClassName(new TypeError('x'))).toBe('TypeError');
    expect(errorClassName('x')).toBe('string');
  });

  it('prefers the name an error gives itself, else its class', () => {
    class GatewayDown extends Error {}
    const abortTimeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(errorClassName(abortTimeout)).toBe('TimeoutError');
    expect(errorClassName(new GatewayDown('x'))).toBe('GatewayDown');
    expect(errorClassName(new UnhandledEventTypeError('x'))).toBe('UnhandledEventTypeError');
    expect(errorClassName(new TimeoutError('x'))).toBe('TimeoutError');
  });
});

describe('isLockConflict', () => {
  it.each([
    ['a deadlock', pgError('40P01'), true],
    ['a serialization failure', pgError('40001'), true],
    ['a deadlock wrapped by sequelize', new DatabaseError(pgError('40P01') as never), true],
    ['a lock timeout (waiting longer will not help a chunk)', pgError('55P03'), false],
    ['a unique violation', pgError('23505'), false],
    ['a code that only looks like one', Object.assign(new Error('x'), { code: '40P01' }), false],
  ])('%s -> %s', (_, error, expected) => {
    expect(isLockConflict(error)).toBe(expected);
  });

  it('follows causes five levels deep, and ends on a loop', () => {
    expect(isLockConflict(wrapped(pgError('40P01'), 5))).toBe(true);
    expect(isLockConflict(wrapped(pgError('40P01'), 6))).toBe(false);
    const loop = new Error('loop');
    loop.cause = loop;
    expect(isLockConflict(loop)).toBe(false);
  });
});
