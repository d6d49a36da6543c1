import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { SHUTDOWN_BOUND_MS } from '../service-fleet';
import { pause, type FaultContext, type Scenario } from './scenario';

/** SIGKILL of each service in turn mid-traffic, each restarted after a moment. */
export const eachServiceKill: Scenario = {
  name: 'SIGKILL each service',
  async inject({ fleet }) {
    for (const service of SERVICE_NAMES) {
      await fleet.kill(service);
      await pause(2_000);
      await fleet.start(service);
      await pause(2_000);
    }
    return SERVICE_NAMES.length;
  },
};

/** Two services dead at once: the one that takes orders and the one that holds the stock. */
export const twoServicesKill: Scenario = {
  name: 'SIGKILL two services at once',
  async inject({ fleet }) {
    const pair: ServiceName[] = ['order-service', 'inventory-service'];
    await Promise.all(pair.map((s) => fleet.kill(s)));
    await pause(3_000);
    await Promise.all(pair.map((s) => fleet.start(s)));
    await pause(2_000);
    const other: ServiceName[] = ['payment-service', 'notification-service'];
    await Promise.all(other.map((s) => fleet.kill(s)));
    await pause(3_000);
    await Promise.all(other.map((s) => fleet.start(s)));
    return 4;
  },
};

/**
 * SIGTERM, as a deployment sends it: each service must stop taking requests, finish and commit
 * what it holds, and exit 0 within the bound. Reconciliation afterwards shows nothing was lost
 * or applied twice.
 */
export async function terminateGracefully(
  { fleet, problems, shutdowns }: FaultContext,
  services: readonly ServiceName[],
): Promise<void> {
  const outcomes = await Promise.all(services.map((s) => fleet.terminate(s)));
  shutdowns.push(...outcomes);
  for (const o of outcomes) {
    if (o.exitCode !== 0 || o.tookMs > SHUTDOWN_BOUND_MS) {
      problems.push(
        `${o.service} on SIGTERM: exit ${o.exitCode ?? o.signal} after ${o.tookMs} ms (bound ${SHUTDOWN_BOUND_MS} ms)`,
      );
    }
  }
}

export const eachServiceTerminate: Scenario = {
  name: 'SIGTERM each service',
  async inject(context) {
    for (const service of SERVICE_NAMES) {
      await terminateGracefully(context, [service]);
      await context.fleet.start(service);
      await pause(2_000);
    }
    return SERVICE_NAMES.length;
  },
};
