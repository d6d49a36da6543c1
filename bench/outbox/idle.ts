/**
 * The outbox relays' CPU when nothing happens: four services' relays (one database each) polling
 * an empty outbox, against the poll they replaced (a transaction with the advisory lock and a read
 * every round). Node's CPU and the PostgreSQL server's, in millicores, interleaved windows.
 */
import { QueryTypes } from 'sequelize';
import { RELAY_LOCK_KEY } from '@shop/messaging';
import { PrivatePostgres, median, ownCpuSeconds, sleep } from './postgres';
import { Replica } from './relays';
import { run } from './run';

const SERVICES = ['s1', 's2', 's3', 's4'];
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

type Variant = { name: string; pollIntervalMs: number; replaced: boolean };
const VARIANTS: Variant[] = [
  {
    name: 'replaced poll, 100 ms (transaction + lock + read)',
    pollIntervalMs: 100,
    replaced: true,
  },
  { name: 'relay, 100 ms (EXISTS first)', pollIntervalMs: 100, replaced: false },
  { name: 'relay, 1000 ms (EXISTS first)', pollIntervalMs: 1_000, replaced: false },
  { name: 'nothing running', pollIntervalMs: 0, replaced: false },
];

/** The poll the relay ran before: what every idle round cost. */
function replacedPoll(replica: Replica, intervalMs: number): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await replica.sequelize.transaction(async (transaction) => {
        await replica.sequelize.query('SELECT pg_try_advisory_xact_lock($1) AS locked', {
          bind: [RELAY_LOCK_KEY],
          transaction,
          type: QueryTypes.SELECT,
        });
        await replica.sequelize.query(
          `SELECT id, topic, message_key, value, headers FROM outbox
           WHERE published_at IS NULL ORDER BY id LIMIT $1`,
          { bind: [200], transaction, type: QueryTypes.SELECT },
        );
      });
      await sleep(intervalMs);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

async function window(pg: PrivatePostgres, variant: Variant): Promise<number> {
  const replicas = SERVICES.map(
    (s) => new Replica(pg.url(s), { pollIntervalMs: variant.pollIntervalMs || 100 }),
  );
  const stops: Array<() => Promise<void>> = [];
  if (variant.pollIntervalMs > 0) {
    for (const r of replicas) {
      if (variant.replaced) stops.push(replacedPoll(r, variant.pollIntervalMs));
      else r.relay.start();
    }
  }
  await sleep(2_000);
  const cpu0 = ownCpuSeconds() + pg.cpuSeconds();
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const cores = (ownCpuSeconds() + pg.cpuSeconds() - cpu0) / ((performance.now() - t0) / 1000);
  for (const stop of stops) await stop();
  for (const r of replicas) await r.close();
  return cores * 1000;
}

async function main(): Promise<void> {
  const pg = new PrivatePostgres(Number(process.env.PG_PORT ?? 25433), SERVICES);
  await pg.start('replica');
  try {
    for (const s of SERVICES) await Replica.migrate(pg.url(s));
    const results = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of VARIANTS) {
        const m = await window(pg, v);
        results.get(v.name)!.push(m);
        console.log(`round ${round + 1} ${v.name}: ${m.toFixed(1)} millicores`);
      }
    }
    console.log('\nmedian millicores (node + PostgreSQL), four relays idle:');
    for (const [name, values] of results) console.log(`  ${name}: ${median(values).toFixed(1)}`);
  } finally {
    await pg.stop();
    pg.remove();
  }
}

run(main);
