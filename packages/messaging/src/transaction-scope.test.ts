import crypto from 'node:crypto';
import type { Transaction } from 'sequelize';
import { createEnvelope, type Envelope } from '@shop/contracts';
import { CollectingScope, type OutboxAppender } from './transaction-scope';

const chunk = { id: 'chunk' } as unknown as Transaction;
const savepoint = { id: 'savepoint' } as unknown as Transaction;

function recordingOutbox(): OutboxAppender & { appended: Array<[Transaction, Envelope[]]> } {
  const appended: Array<[Transaction, Envelope[]]> = [];
  return { appended, append: async (t, events) => void appended.push([t, [...events]]) };
}

const event = () => {
  const orderId = crypto.randomUUID();
  return createEnvelope(
    'OrderCancelled',
    orderId,
    { orderId, customerId: 'alice', reason: { code: 'customer', detail: 'changed my mind' } },
    { correlationId: orderId, causationId: orderId },
  );
};

describe('CollectingScope', () => {
  it('runs after-commit work only when its owner says the transaction committed, in order', () => {
    const scope = new CollectingScope(chunk, recordingOutbox());
    const ran: string[] = [];
    scope.afterCommit(() => ran.push('first'));
    scope.afterCommit(() => ran.push('second'));
    expect(ran).toEqual([]);
    scope.committed();
    expect(ran).toEqual(['first', 'second']);
    scope.committed();
    expect(ran).toEqual(['first', 'second']);
  });

  it('appends events in its own transaction and reports that it published', async () => {
    const outbox = recordingOutbox();
    const scope = new CollectingScope(chunk, outbox);
    await scope.publish();
    expect(scope.committed().published).toBe(false);
    const published = event();
    await scope.publish(published);
    expect(outbox.appended.at(-1)).toEqual([chunk, [published]]);
    expect(scope.committed().published).toBe(true);
  });

  it('keeps a savepoint’s work only when the savepoint is adopted, never before', async () => {
    const outbox = recordingOutbox();
    const scope = new CollectingScope(chunk, outbox);
    const ran: string[] = [];

    const kept = scope.nested(savepoint);
    await kept.publish(event());
    kept.afterCommit(() => ran.push('kept'));
    expect(outbox.appended.at(-1)![0]).toBe(savepoint);

    const rolledBack = scope.nested(savepoint);
    rolledBack.afterCommit(() => ran.push('rolled back'));

    scope.adopt(kept);
    expect(ran).toEqual([]);
    expect(scope.committed().published).toBe(true);
    expect(ran).toEqual(['kept']);
  });

  it('does not report events a savepoint published when the savepoint rolled back', async () => {
    const scope = new CollectingScope(chunk, recordingOutbox());
    await scope.nested(savepoint).publish(event());
    expect(scope.committed().published).toBe(false);
  });
});
