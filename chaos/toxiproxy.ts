import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type ToxicType = 'latency' | 'timeout' | 'reset_peer' | 'bandwidth' | 'slow_close';

export interface Toxic {
  readonly type: ToxicType;
  /** Toxiproxy's attributes for the type, e.g. { latency: 300, jitter: 100 } or { rate: 64 } (KB/s). */
  readonly attributes: Record<string, number>;
  readonly stream?: 'upstream' | 'downstream';
}

/** Toxiproxy's server binary, as scripts/ensure-tools.sh installs it with `go install`. */
export function toxiproxyBinary(): string {
  const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
  const binary = path.join(gopath, 'bin', 'server');
  if (!fs.existsSync(binary)) {
    throw new Error(
      `toxiproxy is not installed (${binary}): go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0`,
    );
  }
  return binary;
}

/** A toxiproxy server this run owns, driven through its HTTP API. */
export class Toxiproxy {
  private child: ChildProcess | undefined;
  private readonly api: string;

  constructor(
    private readonly apiPort: number,
    private readonly logFile: string,
  ) {
    this.api = `http://127.0.0.1:${apiPort}`;
  }

  async start(): Promise<void> {
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(toxiproxyBinary(), ['-host', '127.0.0.1', '-port', String(this.apiPort)], {
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await fetch(`${this.api}/version`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`toxiproxy did not start; see ${this.logFile}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async proxy(name: string, listenPort: number, upstreamPort: number): Promise<void> {
    await this.call('POST', '/proxies', {
      name,
      listen: `127.0.0.1:${listenPort}`,
      upstream: `127.0.0.1:${upstreamPort}`,
      enabled: true,
    });
  }

  async addToxic(proxy: string, name: string, toxic: Toxic): Promise<void> {
    await this.call('POST', `/proxies/${proxy}/toxics`, {
      name,
      type: toxic.type,
      stream: toxic.stream ?? 'downstream',
      toxicity: 1,
      attributes: toxic.attributes,
    });
  }

  /** Removes every toxic and re-enables every proxy: the network is healthy again. */
  async heal(): Promise<void> {
    await this.call('POST', '/reset');
  }

  private async call(method: string, route: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.api}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`toxiproxy ${method} ${route}: ${res.status} ${await res.text()}`);
  }
}
