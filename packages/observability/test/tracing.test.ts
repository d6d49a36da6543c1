import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createTestDatabase } from '@shop/testkit';

const TRACED_PROCESS = path.join(__dirname, 'fixtures/traced-process.ts');

interface Span {
  name: string;
  kind: number;
  traceId: string;
}

/** Keeps every span an OTLP/HTTP (JSON) exporter sends it. */
async function otlpReceiver(): Promise<{ url: string; spans: Span[]; close(): void }> {
  const spans: Span[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }>;
        };
        for (const rs of payload.resourceSpans)
          for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, spans, close: () => server.close() };
}

/** The spans of one traced request to the process, started with `env`, flushed at its SIGTERM. */
async function spansOfOneRequest(env: Record<string, string>): Promise<Span[]> {
  const receiver = await otlpReceiver();
  const db = await createTestDatabase('tracing');
  const child = spawn(process.execPath, ['--import', 'tsx', TRACED_PROCESS], {
    env: {
      ...process.env,
      OTEL_SDK_DISABLED: 'false',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      DATABASE_URL: db.url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`the traced process exited ${code}`)));
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/orders`)).text()).toBe('ok');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    return receiver.spans;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    receiver.close();
    await db.drop();
  }
}

const SERVER = 2;

describe('tracing', () => {
  it('traces HTTP but not each PostgreSQL query by default', async () => {
    const spans = await spansOfOneRequest({});
    expect(spans.filter((s) => s.kind === SERVER)).toHaveLength(1);
    expect(spans.filter((s) => s.name.startsWith('pg.'))).toEqual([]);
  }, 60_000);

  it('adds a span per PostgreSQL query, in the request trace, with OTEL_PG_SPANS=true', async () => {
    const spans = await spansOfOneRequest({ OTEL_PG_SPANS: 'true' });
    const request = spans.find((s) => s.kind === SERVER);
    const query = spans.find((s) => s.name.startsWith('pg.query'));
    expect(request).toBeDefined();
    expect(query).toBeDefined();
    expect(query!.traceId).toBe(request!.traceId);
  }, 60_000);
});
