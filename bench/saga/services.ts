import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { spawnService, type LaunchedService, type UpResult } from '@shop/devstack';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-not-a-secret';

/** Fixed ports of the benchmark's own services, away from `npm start`'s. */
const HTTP_PORTS: Record<ServiceName, number> = {
  'order-service': 21080,
  'inventory-service': 21081,
  'payment-service': 21082,
  'notification-service': 21083,
};

export interface BenchSystem {
  readonly services: readonly LaunchedService[];
  /** Milliseconds from spawn to ready (`GET /health/ready`), per service, started one after another. */
  readonly startupMs: Record<ServiceName, number>;
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
  /** Environment set over each service's own, e.g. an A/B configuration's levers. */
  envOf: (service: ServiceName) => Readonly<Record<string, string>> = () => ({}),
): Promise<BenchSystem> {
  fs.mkdirSync(logDir, { recursive: true });
  const url = (service: ServiceName) => `http://127.0.0.1:${HTTP_PORTS[service]}`;
  const services: LaunchedService[] = [];
  const startupMs = {} as Record<ServiceName, number>;
  const system: BenchSystem = {
    services,
    startupMs,
    url,
    stop: () => Promise.all(services.map((s) => stopChild(s.child))).then(() => undefined),
  };
  try {
    for (const service of SERVICE_NAMES) {
      const began = performance.now();
      const launched = spawnService(service, {
        bootstrapServers: endpoints.bootstrapServers,
        databaseUrl: endpoints.databaseUrls[service],
        httpPort: HTTP_PORTS[service],
        inventoryPort: HTTP_PORTS['inventory-service'],
        adminToken: BENCH_ADMIN_TOKEN,
        gatewayLatencyMs: Number(process.env.BENCH_GATEWAY_LATENCY_MS ?? 20),
        logLevel: 'info',
        output: { logFile: path.join(logDir, `${service}.log`) },
        nodeFlags: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
        env: envOf(service),
      });
      services.push(launched);
      await launched.ready(90_000);
      startupMs[service] = performance.now() - began;
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
