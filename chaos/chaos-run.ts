import crypto from 'node:crypto';
import path from 'node:path';
import { ChaosStack } from './chaos-stack';
import { OrderTraffic } from './order-traffic';
import { seconds, slowStepLines } from './report';
import { runScenario, type ScenarioResult } from './run-scenario';
import { scenariosOf } from './scenarios';
import { ServiceFleet } from './service-fleet';
import type { ChaosSettings } from './settings';

export interface ChaosRun {
  readonly results: ScenarioResult[];
  readonly tookMs: number;
}

/**
 * Brings up the chaos run's own stack, toxiproxy and services, runs each scenario of the profile
 * with its share of the orders, and always takes everything down again.
 */
export async function runChaos(
  settings: ChaosSettings,
  print: (line: string) => void = () => undefined,
): Promise<ChaosRun> {
  const began = Date.now();
  const log = (line: string) =>
    print(`[${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const stack = new ChaosStack(settings);
  const fleet = new ServiceFleet(
    stack,
    settings.ports.http,
    path.join(settings.stateDir, 'services'),
    settings.serviceLogLevel,
  );
  const run = crypto.randomBytes(3).toString('hex');
  const scenarios = scenariosOf(settings.profile, settings.only);
  const results: ScenarioResult[] = [];
  // Ctrl-C must not leave three JVMs, PostgreSQL, toxiproxy and four services behind.
  const interrupted = () => {
    log('interrupted: stopping everything the run started ...');
    void fleet
      .stopAll()
      .catch(() => undefined)
      .then(() => stack.down())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    log(
      `chaos ${settings.profile}: stack on ${settings.ports.kafka} / PostgreSQL ${settings.ports.postgres} (${settings.stateDir})`,
    );
    await stack.up();
    log('stack up; starting the services ...');
    await fleet.startAll();
    const traffic = new OrderTraffic(fleet.url('order-service'), run);
    // A chosen few get the share they have in the whole profile, so their figures compare.
    const perScenario = Math.ceil(settings.orders / scenariosOf(settings.profile).length);
    for (const scenario of scenarios) {
      log(`scenario: ${scenario.name} (${perScenario} orders) ...`);
      const result = await runScenario(scenario, perScenario, {
        stack,
        fleet,
        traffic,
        run,
        concurrency: settings.concurrency,
        ratePerSecond: settings.ratePerSecond,
      });
      results.push(result);
      log(
        `  ${result.orders} orders, ${result.faults} faults over ${seconds(result.faultMs)}, recovery ${seconds(result.recoveryMs)}, p99 before / during the fault ${seconds(result.beforeFault.p99Ms)} / ${seconds(result.duringFault.p99Ms)} (${result.duringFault.completed} completed during), settled ${seconds(result.settleMs)}, ${result.violations.length} violation(s)`,
      );
      const slowSteps = slowStepLines(result.stepsDuringFault, result.faultFrom);
      if (slowSteps.length > 0) log(`  slowest steps of the orders placed during the fault:`);
      for (const line of slowSteps) log(line);
      const slowest = result.slowestDuringFault;
      if (slowest && slowSteps.length > 0) {
        log(`  the slowest of them, ${slowest.orderId}:`);
        for (const e of slowest.entries) log(`    +${seconds(e.at - result.faultFrom)} ${e.what}`);
      }
      if (result.shutdowns.length > 0) log(`  SIGTERM: ${result.shutdowns.join(', ')}`);
      for (const v of result.violations.slice(0, 20)) log(`    ${v}`);
      if (fleet.startupCrashes > 0)
        log(`  services restarted after crashing at start-up so far: ${fleet.startupCrashes}`);
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await fleet.stopAll().catch(() => undefined);
    await stack.down();
  }
  return { results, tookMs: Date.now() - began };
}
