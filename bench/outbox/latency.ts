/**
 * Commit -> publish latency of outbox rows with two replicas of a service on one database, each
 * committing and nudging its own relay, while one relay at a time holds the lock: the commits of
 * the replica whose relay lost the lock are the "other replica's" commits a poll would otherwise
 * pick up. Poll 100 ms against 1000 ms, at a low and a moderate rate; interleaved windows.
 */
import { PrivatePostgres, median, percentile, sleep } from './postgres';
import { run } from './run';
import { RecordingProducer, Replica } from './relays';

const WINDOW_MS = Number(process.env.WINDOW_MS ?? 15_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** What an acks=all produce request takes on this machine, roughly. */
const PRODUCE_MS = 3;

interface Variant {
  pollIntervalMs: number;
  ratePerSecond: number;
  nudge: boolean;
}

async function window(pg: PrivatePostgres, v: Variant) {
  const replicas = [0, 1].map(
    () =>
      new Replica(
        pg.url('shared'),
        { pollIntervalMs: v.pollIntervalMs },
        new RecordingProducer(PRODUCE_MS),
      ),
  );
  for (const r of replicas) r.relay.start();
  await sleep(500);
  const commits: Array<{ key: string; committedAt: number }> = [];
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; performance.now() - started < WINDOW_MS; i++) {
    const replica = replicas[i % 2]!;
    pending.push(
      (async () => {
        const e = await replica.commit(v.nudge);
        commits.push(e);
      })(),
    );
    const next = started + ((i + 1) * 1000) / v.ratePerSecond;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(pending);
  await sleep(v.pollIntervalMs * 3 + 500);
  const latencies = commits.map((c) => {
    const at =
      replicas[0]!.producer.publishedAt.get(c.key) ?? replicas[1]!.producer.publishedAt.get(c.key);
    return at === undefined ? Infinity : at - c.committedAt;
  });
  for (const r of replicas) await r.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length };
}

async function main(): Promise<void> {
  const pg = new PrivatePostgres(Number(process.env.PG_PORT ?? 25434), ['shared']);
  await pg.start('replica');
  try {
    await Replica.migrate(pg.url('shared'));
    const variants: Variant[] = [];
    for (const ratePerSecond of [4, 40])
      for (const pollIntervalMs of [100, 1_000])
        variants.push({ pollIntervalMs, ratePerSecond, nudge: true });
    variants.push({ pollIntervalMs: 100, ratePerSecond: 4, nudge: false });
    variants.push({ pollIntervalMs: 1_000, ratePerSecond: 4, nudge: false });
    const results = new Map<Variant, Array<{ p50: number; p99: number }>>(
      variants.map((v) => [v, []]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of variants) {
        const r = await window(pg, v);
        results.get(v)!.push(r);
        console.log(
          `round ${round + 1} poll ${v.pollIntervalMs} ms, ${v.ratePerSecond}/s${v.nudge ? '' : ', no nudge'}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.n} rows)`,
        );
      }
    }
    console.log('\nmedian of rounds, commit -> produce request, two replicas:');
    for (const [v, rs] of results)
      console.log(
        `  poll ${v.pollIntervalMs} ms, ${v.ratePerSecond}/s${v.nudge ? '' : ', no nudge'}: p50 ${median(rs.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(rs.map((r) => r.p99)).toFixed(1)} ms`,
      );
  } finally {
    await pg.stop();
    pg.remove();
  }
}

run(main);
