import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { serviceCommand, waitUntilReady, type UpResult } from '@shop/devstack';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-not-a-secret';

/** Fixed ports of the benchmark's own services, away from `npm start`'s. */
const HTTP_PORTS: Record<ServiceName, number> = {
  'order-service': 21080,
  'inventory-service': 21081,
  'payment-service': 21082,
  'notification-service': 21083,
};

export interface RunningService {
  readonly service: ServiceName;
  readonly url: string;
  readonly child: ChildProcess;
}

export interface BenchSystem {
  readonly services: readonly RunningService[];
  url(service: ServiceName): string;
  stop(): Promise<void>;
}

/**
 * The four services as separate processes, as `npm start` runs them, logging at info to files
 * (JSON log lines cost CPU in production too, so they stay on).
 */
export async function startServices(
  endpoints: UpResult,
  logDir: string,
  /** When given, each service writes a V8 CPU profile there when it stops. */
  profileDir?: string,
): Promise<BenchSystem> {
  fs.mkdirSync(logDir, { recursive: true });
  const url = (service: ServiceName) => `http://127.0.0.1:${HTTP_PORTS[service]}`;
  const services: RunningService[] = [];
  const system: BenchSystem = {
    services,
    url,
    stop: () => Promise.all(services.map((s) => stopChild(s.child))).then(() => undefined),
  };
  try {
    for (const service of SERVICE_NAMES) {
      const log = fs.openSync(path.join(logDir, `${service}.log`), 'a');
      const run = serviceCommand(
        service,
        profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      );
      const child = spawn(run.command, run.args, {
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          SERVICE_NAME: service,
          HTTP_PORT: String(HTTP_PORTS[service]),
          KAFKA_BROKERS: endpoints.bootstrapServers.join(','),
          DATABASE_URL: endpoints.databaseUrls[service],
          LOG_LEVEL: 'info',
          ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
          INVENTORY_URL: url('inventory-service'),
          GATEWAY_LATENCY_MS: process.env.BENCH_GATEWAY_LATENCY_MS ?? '20',
        },
      });
      fs.closeSync(log);
      services.push({ service, url: url(service), child });
      await waitUntilReady(service, url(service), child, 90_000);
    }
  } catch (err) {
    await system.stop();
    throw err;
  }
  return system;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
