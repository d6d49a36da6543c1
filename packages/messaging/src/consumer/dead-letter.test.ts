import type { KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, RETRY_HEADERS } from '../headers';
import { DEAD_LETTER_SOURCE_HEADER, deadLetterOf, retryOf, truncate } from './dead-letter';
import { originOf } from './record-origin';

const message = (headers: KafkaMessage['headers'] = {}, offset = '12345'): KafkaMessage => ({
  key: Buffer.from('order-1'),
  value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
  headers,
  offset,
  timestamp: '0',
  attributes: 0,
});

describe('dead letters', () => {
  it('keep key and value byte for byte and carry the guide headers and where they were decided', () => {
    const original = message({ traceparent: '00-abc-def-01' });
    const origin = originOf('order-created', 0, original, false);
    const out = deadLetterOf(
      'inventory-service',
      original,
      origin,
      new RangeError('Product not found: PROD-001'),
      new Date('2024-01-15T10:30:00Z'),
    );
    expect(out.topic).toBe('order-created-dlq');
    expect(out.message.key).toBe(original.key);
    expect(out.message.value).toBe(original.value);
    expect(out.message.headers).toEqual({
      traceparent: '00-abc-def-01',
      [DLQ_HEADERS.service]: 'inventory-service',
      [DLQ_HEADERS.originalTopic]: 'order-created',
      [DLQ_HEADERS.originalPartition]: '0',
      [DLQ_HEADERS.originalOffset]: '12345',
      [DLQ_HEADERS.errorTimestamp]: '2024-01-15T10:30:00.000Z',
      [DLQ_HEADERS.errorClass]: 'RangeError',
      [DLQ_HEADERS.errorMessage]: 'Product not found: PROD-001',
      [DLQ_HEADERS.errorStacktrace]: expect.stringContaining('RangeError: Product not found'),
      [DEAD_LETTER_SOURCE_HEADER]: 'order-created/0/12345',
    });
  });

  it('point back at the primary record when the failure happened on a retry', () => {
    const first = message();
    const primary = originOf('order-created', 2, first, false);
    const retried = retryOf(
      'inventory-service-retry-1',
      first,
      primary,
      1,
      1_000,
      new Error('db down'),
      new Date(0),
    );
    const asRead = message(retried.message.headers, '7');
    const origin = originOf('inventory-service-retry-1', 0, asRead, true);
    expect(origin).toEqual({
      topic: 'order-created',
      partition: 2,
      offset: '12345',
      attempt: 1,
      readAt: 'inventory-service-retry-1/0/7',
      replays: 0,
    });
    const dead = deadLetterOf('inventory-service', asRead, origin, new Error('still down'));
    // The original is the primary record; the dead letter was decided on the retry tier.
    expect(dead.message.headers[DEAD_LETTER_SOURCE_HEADER]).toBe('inventory-service-retry-1/0/7');
    expect(dead.topic).toBe('order-created-dlq');
    expect(Object.keys(dead.message.headers).filter((h) => h.startsWith('retry.'))).toEqual([]);
    expect(retried.message.headers[RETRY_HEADERS.notBefore]).toBe('1000');
  });

  it('bound the stack trace without breaking a character', () => {
    const long = 'é'.repeat(10_000);
    const cut = truncate(long, 8 * 1024);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(8 * 1024);
    expect(cut.endsWith('é...')).toBe(true);
    expect(truncate('short', 10)).toBe('short');
  });

  it('cut to the byte budget exactly, dropping a character split at the cut', () => {
    expect(truncate('abcdefgh', 8)).toBe('abcdefgh');
    expect(truncate('abcdefghij', 8)).toBe('abcde...');
    // 'é' is two bytes: five bytes hold two of them and half of a third, which must go.
    expect(truncate('ééééé', 8)).toBe('éé...');
  });

  it('keep up to 8 KiB of stack trace and 2 KiB of message, and a missing stack as empty', () => {
    const error = new Error('m'.repeat(5_000));
    error.stack = 's'.repeat(20_000);
    const headers = deadLetterOf('svc', message(), origin(), error).message.headers;
    expect(Buffer.byteLength(headers[DLQ_HEADERS.errorStacktrace] as string)).toBe(8 * 1024);
    expect(Buffer.byteLength(headers[DLQ_HEADERS.errorMessage] as string)).toBe(2 * 1024);
    const stackless = new Error('no stack');
    delete stackless.stack;
    expect(
      deadLetterOf('svc', message(), origin(), stackless).message.headers[
        DLQ_HEADERS.errorStacktrace
      ],
    ).toBe('');
  });

  it('count a record read from its primary topic as attempt 0 at its own position', () => {
    expect(originOf('order-created', 3, message(), false)).toEqual({
      topic: 'order-created',
      partition: 3,
      offset: '12345',
      attempt: 0,
      readAt: 'order-created/3/12345',
      replays: 0,
    });
  });

  it('count the replays an operator stamped on the record, a garbled count as none', () => {
    expect(originOf('svc-retry-1', 0, message({ 'replay.count': '2' }), true).replays).toBe(2);
    expect(originOf('order-created', 0, message({ 'replay.count': 'x' }), false).replays).toBe(0);
  });

  it('treat a retry record without bookkeeping as out of attempts', () => {
    expect(originOf('svc-retry-1', 0, message(), true).attempt).toBe(Number.MAX_SAFE_INTEGER);
  });
});

function origin() {
  return originOf('order-created', 0, message(), false);
}
