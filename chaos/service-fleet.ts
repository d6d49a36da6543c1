import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { ServiceExitedError, spawnService, type ServiceWiring } from '@shop/devstack';
import type { ChaosStack } from './chaos-stack';

/** How long a service may take to shut down on SIGTERM; the chaos run holds it to this bound. */
export const SHUTDOWN_BOUND_MS = 15_000;

const CHAOS_ADMIN_TOKEN = 'chaos-admin-token-not-a-secret';

export interface ShutdownOutcome {
  readonly service: ServiceName;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly tookMs: number;
}

/** The four services as their own processes on fixed ports, so they can be killed and restarted. */
export class ServiceFleet {
  private readonly children = new Map<ServiceName, ChildProcess>();

  constructor(
    private readonly stack: ChaosStack,
    private readonly httpPortBase: number,
    private readonly logDir: string,
    private readonly logLevel: string,
  ) {
    fs.mkdirSync(logDir, { recursive: true });
  }

  port(service: ServiceName): number {
    return this.httpPortBase + SERVICE_NAMES.indexOf(service);
  }

  url(service: ServiceName, route = ''): string {
    return `http://127.0.0.1:${this.port(service)}${route}`;
  }

  async startAll(): Promise<void> {
    // In parallel: order-service asks inventory for prices only per request, which traffic retries.
    await Promise.all(SERVICE_NAMES.map((s) => this.start(s)));
  }

  /** Services that exited during start-up and were started again, as an orchestrator would. */
  startupCrashes = 0;

  /**
   * Starts a service and waits until it is ready. A service that exits while starting (e.g. its
   * first broker just died) is started again, up to a few times, as Kubernetes would restart it.
   */
  async start(service: ServiceName): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce(service);
      } catch (err) {
        if (!(err instanceof ServiceExitedError) || attempt >= 5) throw err;
        this.startupCrashes++;
        await new Promise((r) => setTimeout(r, 1_000 * attempt));
      }
    }
  }

  private async startOnce(service: ServiceName): Promise<void> {
    const launched = spawnService(service, {
      ...this.wiringOf(service),
      output: { logFile: path.join(this.logDir, `${service}.log`) },
    });
    this.children.set(service, launched.child);
    try {
      await launched.ready();
    } catch (err) {
      if (err instanceof ServiceExitedError) err.message += `; see ${this.logDir}/${service}.log`;
      throw err;
    }
  }

  /** Starts every service that is not running, e.g. after a fault failed half-way. */
  async startMissing(): Promise<void> {
    const missing = SERVICE_NAMES.filter((s) => {
      const child = this.children.get(s);
      return !child || exited(child);
    });
    await Promise.all(missing.map((s) => this.start(s)));
  }

  /** A crash: SIGKILL, no chance to finish anything. */
  async kill(service: ServiceName): Promise<void> {
    const child = this.children.get(service);
    if (!child || exited(child)) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** A deployment's stop: SIGTERM, then how long the service took and how it ended. */
  async terminate(service: ServiceName): Promise<ShutdownOutcome> {
    const child = this.children.get(service);
    if (!child || exited(child)) throw new Error(`${service} is not running`);
    const began = Date.now();
    const outcome = new Promise<ShutdownOutcome>((resolve) =>
      child.once('exit', (exitCode, signal) =>
        resolve({ service, exitCode, signal, tookMs: Date.now() - began }),
      ),
    );
    child.kill('SIGTERM');
    // Past the bound it is a violation either way; do not let a hung service hang the run.
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_BOUND_MS * 2);
    try {
      return await outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.children.entries()]
        .filter(([, child]) => !exited(child))
        .map(([service]) => this.terminate(service)),
    );
  }

  /** Through the proxies, so that faults reach the services. */
  private wiringOf(service: ServiceName): ServiceWiring {
    return {
      bootstrapServers: this.stack.serviceBrokers(),
      databaseUrl: this.stack.serviceDatabaseUrl(service),
      httpPort: this.port(service),
      inventoryPort: this.port('inventory-service'),
      adminToken: CHAOS_ADMIN_TOKEN,
      seedDemoCatalog: true,
      gatewayLatencyMs: 5,
      logLevel: this.logLevel,
      env: {
        // Short tiers: a run must settle in minutes, not wait out the 60 s production tier.
        KAFKA_RETRY_DELAYS_MS: '500,2000,5000',
        // Within the settle limit, and still well beyond what a fault delays an order by.
        ORDER_DEADLINE_PENDING_MS: '60000',
        ORDER_DEADLINE_CONFIRMED_MS: '60000',
        ORDER_DEADLINE_CANCELLING_MS: '60000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_BOUND_MS),
      },
    };
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
