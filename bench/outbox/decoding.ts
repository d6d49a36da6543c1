/**
 * Logical decoding against the polling relay, on the same writer: one outbox row per transaction
 * at a steady rate (as saga steps commit them). Readers:
 *  - poll: the kit's OutboxRelay (nudged by the writer, linger, async marks) on a stand-in producer;
 *  - stream: a walsender streaming the outbox's inserts (test_decoding over the replication
 *    protocol), acknowledged once a second;
 *  - slot SQL: pg_logical_slot_get_changes every 100 ms.
 * CPU (this process plus every PostgreSQL process) per row, less the writer alone at the same
 * wal_level, is the reader's cost; commit -> row in hand is its latency. wal_level replica against
 * logical, for the writer alone, is what turning decoding on costs every write.
 */
import { Client } from 'pg';
import { PrivatePostgres, median, ownCpuSeconds, percentile, sleep } from './postgres';
import { Replica } from './relays';
import { run } from './run';

const WINDOW_MS = Number(process.env.WINDOW_MS ?? 15_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const RATE = Number(process.env.RATE ?? 100);
const DB = 'decode';

type Reader = 'writer alone' | 'poll' | 'stream' | 'slot SQL';
interface Started {
  receivedAt: Map<string, number>;
  stop(): Promise<void>;
}

const KEY = /message_key\[text\]:'([^']+)'/;

/** test_decoding's text for an outbox insert names the row's key; other lines are BEGIN/COMMIT. */
function keysOf(text: string, at: number, into: Map<string, number>): void {
  const key = KEY.exec(text)?.[1];
  if (key) into.set(key, at);
}

async function createSlot(pg: PrivatePostgres): Promise<void> {
  const c = new Client({ connectionString: pg.url(DB) });
  await c.connect();
  await c.query("SELECT pg_create_logical_replication_slot('bench', 'test_decoding')");
  await c.end();
}

async function dropSlot(pg: PrivatePostgres): Promise<void> {
  const c = new Client({ connectionString: pg.url(DB) });
  await c.connect();
  await c.query("SELECT pg_drop_replication_slot('bench')");
  await c.end();
}

const PG_EPOCH_US = BigInt(Date.UTC(2000, 0, 1)) * 1000n;

async function streamReader(pg: PrivatePostgres): Promise<Started> {
  await createSlot(pg);
  const receivedAt = new Map<string, number>();
  const client = new Client({ connectionString: pg.url(DB), replication: 'database' } as never);
  await client.connect();
  let lsn = 0n;
  const connection = (
    client as unknown as {
      connection: NodeJS.EventEmitter & { sendCopyFromChunk(b: Buffer): void };
    }
  ).connection;
  const acknowledge = () => {
    const b = Buffer.alloc(34);
    b.write('r', 0);
    b.writeBigUInt64BE(lsn, 1);
    b.writeBigUInt64BE(lsn, 9);
    b.writeBigUInt64BE(lsn, 17);
    b.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_US, 25);
    b.writeUInt8(0, 33);
    connection.sendCopyFromChunk(b);
  };
  connection.on('copyData', ({ chunk }: { chunk: Buffer }) => {
    if (chunk[0] === 0x77) {
      const end = chunk.readBigUInt64BE(9);
      if (end > lsn) lsn = end;
      keysOf(chunk.toString('utf8', 25), performance.now(), receivedAt);
    } else if (chunk[0] === 0x6b && chunk[17] === 1) acknowledge();
  });
  client.query('START_REPLICATION SLOT bench LOGICAL 0/0').catch(() => undefined);
  const timer = setInterval(acknowledge, 1_000);
  return {
    receivedAt,
    async stop() {
      clearInterval(timer);
      await client.end().catch(() => undefined);
      await sleep(200);
      await dropSlot(pg);
    },
  };
}

async function slotSqlReader(pg: PrivatePostgres): Promise<Started> {
  await createSlot(pg);
  const receivedAt = new Map<string, number>();
  const client = new Client({ connectionString: pg.url(DB) });
  await client.connect();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ data: string }>(
        "SELECT data FROM pg_logical_slot_get_changes('bench', NULL, NULL)",
      );
      const at = performance.now();
      for (const { data } of rows) keysOf(data, at, receivedAt);
      await sleep(100);
    }
  })();
  return {
    receivedAt,
    async stop() {
      running = false;
      await loop;
      await client.end();
      await dropSlot(pg);
    },
  };
}

async function window(pg: PrivatePostgres, reader: Reader) {
  const writer = new Replica(pg.url(DB), { pollIntervalMs: 100 });
  let started: Started | undefined;
  if (reader === 'poll') {
    writer.relay.start();
    started = {
      receivedAt: writer.producer.publishedAt,
      stop: async () => undefined,
    };
  } else if (reader === 'stream') started = await streamReader(pg);
  else if (reader === 'slot SQL') started = await slotSqlReader(pg);
  await sleep(1_000);
  const commits: Array<{ key: string; committedAt: number }> = [];
  const pending: Array<Promise<void>> = [];
  const cpu0 = ownCpuSeconds() + pg.cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < WINDOW_MS; i++) {
    pending.push(writer.commit(reader === 'poll').then((c) => void commits.push(c)));
    await sleep(Math.max(0, t0 + ((i + 1) * 1000) / RATE - performance.now()));
  }
  await Promise.all(pending);
  await sleep(500);
  const cpu = ownCpuSeconds() + pg.cpuSeconds() - cpu0;
  await started?.stop();
  await writer.close();
  const latencies = started
    ? commits.map((c) => (started.receivedAt.get(c.key) ?? Infinity) - c.committedAt)
    : [];
  return {
    cpuMsPerRow: (cpu * 1000) / commits.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const pg = new PrivatePostgres(Number(process.env.PG_PORT ?? 25436), [DB]);
  const phases: Array<['replica' | 'logical', Reader[]]> = [
    ['replica', ['writer alone', 'poll']],
    ['logical', ['writer alone', 'poll', 'stream', 'slot SQL']],
  ];
  const results = new Map<string, Array<{ cpuMsPerRow: number; p50: number; p99: number }>>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [level, readers] of phases) {
        await pg.start(level);
        if (round === 0 && level === 'replica') await Replica.migrate(pg.url(DB));
        for (const reader of readers) {
          const r = await window(pg, reader);
          const name = `wal_level ${level}, ${reader}`;
          results.set(name, [...(results.get(name) ?? []), r]);
          console.log(
            `round ${round + 1} ${name}: ${r.cpuMsPerRow.toFixed(3)} ms CPU/row, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`,
          );
        }
        await pg.stop();
      }
    }
    console.log(`\nmedian of rounds, ${RATE} rows/s, one row per transaction:`);
    for (const [name, rs] of results)
      console.log(
        `  ${name}: ${median(rs.map((r) => r.cpuMsPerRow)).toFixed(3)} ms CPU/row, p50 ${median(rs.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(rs.map((r) => r.p99)).toFixed(1)} ms`,
      );
  } finally {
    await pg.stop().catch(() => undefined);
    pg.remove();
  }
}

run(main);
