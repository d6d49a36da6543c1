import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import type { BenchStack } from '../stack';
import { createBenchProducts } from './catalog';
import { postgresProcesses } from './process-stats';
import { startServices, type BenchSystem } from './services';
import type { WindowContext } from './windows';

/** The four services up on the benchmark's stack, with what a measured window needs. */
export interface SagaSession {
  readonly system: BenchSystem;
  readonly ctx: WindowContext;
  stop(): Promise<void>;
}

export interface SessionOptions {
  readonly drainTimeoutMs: number;
  readonly log: (line: string) => void;
  readonly profileDir?: string;
  /** Environment set over each service's own (an A/B configuration). */
  readonly envOf?: (service: ServiceName) => Readonly<Record<string, string>>;
}

export async function startSession(
  bench: BenchStack,
  kafka: Kafka,
  options: SessionOptions,
): Promise<SagaSession> {
  const { config } = bench.stack;
  const system = await startServices(
    bench.endpoints,
    path.join(config.stateDir, 'logs'),
    options.profileDir,
    options.envOf,
  );
  try {
    await createBenchProducts(system.url('inventory-service'));
    const status = await bench.stack.status();
    const services = system.services.map((s) => [s.service, [s.child.pid!]] as const);
    const components = status.components.filter((c) => c.pid !== undefined);
    // Brokers keep their pid; PostgreSQL's backends come and go with the pools' connections.
    const pids = () =>
      new Map<string, readonly number[]>([
        ...services,
        ...components.map(
          (c) => [c.name, c.name === 'postgres' ? postgresProcesses(c.pid!) : [c.pid!]] as const,
        ),
      ]);
    const observed = (s: ServiceName) => bench.observerUrl(bench.endpoints.databaseUrls[s]);
    const ctx: WindowContext = {
      kafka,
      orderUrl: system.url('order-service'),
      databaseUrls: Object.fromEntries(SERVICE_NAMES.map((s) => [s, observed(s)])) as Record<
        ServiceName,
        string
      >,
      pids,
      drainTimeoutMs: options.drainTimeoutMs,
      log: options.log,
      counters: {
        observerAdminUrl: bench.observerAdminUrl,
        serviceRole: config.postgres.user,
        databaseNames: config.postgres.databases,
        metricsUrl: (s) => `${system.url(s)}/metrics`,
      },
    };
    return { system, ctx, stop: () => system.stop() };
  } catch (err) {
    await system.stop();
    throw err;
  }
}
