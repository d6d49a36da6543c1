import crypto from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase } from '@shop/testkit';
import { checkClientPromises } from '../client-promises';

/** The chaos run's check of what customers were told, against a real orders table. */
describe('the promises made to chaos customers', () => {
  let database: { url: string; drop(): Promise<void> };
  const placed = [crypto.randomUUID(), crypto.randomUUID()];

  beforeAll(async () => {
    database = await createTestDatabase('promises');
    const db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query('CREATE TABLE orders (id uuid PRIMARY KEY, customer_id text NOT NULL)');
    await db.query(`INSERT INTO orders VALUES ($1, 'chaos-r1-0'), ($2, 'chaos-r1-1')`, placed);
    // Another run's customer, whose prefix starts the same way.
    await db.query(`INSERT INTO orders VALUES ($1, 'chaos-r10-0')`, [crypto.randomUUID()]);
    await db.end();
  });
  afterAll(() => database.drop());

  const check = (view: Partial<Parameters<typeof checkClientPromises>[1]>) =>
    checkClientPromises(database.url, {
      placed,
      customerPrefix: 'chaos-r1',
      refused: 0,
      ...view,
    });

  it('holds when every order told to a customer exists once and none was refused', async () => {
    expect(await check({})).toEqual([]);
  });

  it('names refused orders', async () => {
    expect(await check({ refused: 2 })).toEqual([
      '2 orders were refused for as long as a customer would retry',
    ]);
  });

  it('names an order a customer got an id for that does not exist', async () => {
    const lost = crypto.randomUUID();
    expect(await check({ placed: [...placed, lost] })).toEqual([
      expect.stringContaining(`1 orders a customer was given an id for do not exist, e.g. ${lost}`),
    ]);
  });

  it('names an order no customer was told of, as a retried Idempotency-Key would make', async () => {
    expect(await check({ placed: placed.slice(0, 1) })).toEqual([
      expect.stringContaining('1 orders exist that no customer was given an id for'),
    ]);
  });
});
