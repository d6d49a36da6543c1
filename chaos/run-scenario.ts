import { SERVICE_NAMES } from '@shop/contracts';
import { reconcile } from '@shop/reconciliation';
import type { ChaosStack } from './chaos-stack';
import { checkClientPromises } from './client-promises';
import { OrderTraffic, probeOrder } from './order-traffic';
import { faultWindowLatency, type FaultWindowLatency } from './fault-window';
import { sagaSteps, type SagaStep, type TimelineEntry } from './saga-steps';
import { checkDeadLetteredOrders } from './dead-lettered-order';
import { checkPoisonInDlq } from './poison-records';
import { waitForQuiescence } from './quiescence';
import type { FaultContext, Scenario, ScenarioTargets } from './scenarios';
import { pause } from './scenarios/scenario';
import type { ServiceFleet } from './service-fleet';

const SETTLE_TIMEOUT_MS = 300_000;

export interface ScenarioResult {
  readonly name: string;
  readonly orders: number;
  readonly refused: number;
  readonly faults: number;
  /** From healing the fault until an order placed at that moment completed. */
  readonly recoveryMs: number;
  /** From the last order placed until the system was quiet. */
  readonly settleMs: number;
  /** When the fault took hold (epoch ms): the window "during the fault" begins here. */
  readonly faultFrom: number;
  /** From the first fault until all were healed. */
  readonly faultMs: number;
  /** The orders placed while the fault was in place: created -> COMPLETED. */
  readonly duringFault: FaultWindowLatency;
  /** The same for the orders placed before it, for comparison. */
  readonly beforeFault: FaultWindowLatency;
  /** Where the time of the orders placed during the fault went, step by step. */
  readonly stepsDuringFault: readonly SagaStep[];
  /** The slowest order placed during the fault, event by event. */
  readonly slowestDuringFault?: { orderId: string; entries: TimelineEntry[] };
  readonly targets?: ScenarioTargets;
  /** SIGTERMs: how long each service took to exit, and with what code. */
  readonly shutdowns: string[];
  readonly violations: string[];
}

export interface RunContext {
  readonly stack: ChaosStack;
  readonly fleet: ServiceFleet;
  readonly traffic: OrderTraffic;
  readonly run: string;
  readonly concurrency: number;
  readonly ratePerSecond?: number;
}

/**
 * Traffic starts, the fault is injected a few seconds in and healed; then the run waits for
 * quiescence and checks every invariant, the poison in the DLQs, and that every order is terminal.
 */
export async function runScenario(
  scenario: Scenario,
  orders: number,
  { stack, fleet, traffic, run, concurrency, ratePerSecond }: RunContext,
): Promise<ScenarioResult> {
  const context: FaultContext = {
    stack,
    fleet,
    run,
    startedAt: Date.now(),
    poison: [],
    deadLettered: [],
    problems: [],
    shutdowns: [],
    marks: [],
  };
  const placing = traffic.place(orders, concurrency, ratePerSecond);
  await pause(3_000);
  let faults = 0;
  const injectedAt = Date.now();
  try {
    faults = await scenario.inject(context);
  } catch (err) {
    context.problems.push(`the fault could not be injected or healed: ${(err as Error).message}`);
  }
  // A fault that failed half-way must not leave the next scenario a broken system.
  await stack.healAll();
  await fleet.startMissing();
  const healedAt = Date.now();
  const faultMs = healedAt - injectedAt;
  const recovered = await probeOrder(fleet.url('order-service'), SETTLE_TIMEOUT_MS);
  const recoveryMs = Date.now() - healedAt;
  if (!recovered) context.problems.push('a probe order placed after healing did not complete');

  const placed = await placing;
  const placedAll = Date.now();
  const direct = (s: (typeof SERVICE_NAMES)[number]) => stack.directDatabaseUrl(s);
  const kafka = stack.directKafka(`chaos-check-${run}`);
  const unsettled = await waitForQuiescence(kafka, direct, SETTLE_TIMEOUT_MS);
  const settleMs = Date.now() - placedAll;
  if (unsettled) {
    context.problems.push(
      `not quiet after ${SETTLE_TIMEOUT_MS / 1000} s: ${unsettled.openOrders} open orders, ${unsettled.outboxBacklog} unpublished events, lag ${unsettled.consumerLag}`,
    );
  }
  const poisonProblems = [
    ...(await checkPoisonInDlq(kafka, context.poison)),
    ...(await checkDeadLetteredOrders(fleet.url('order-service'), context.deadLettered)),
  ];
  const clientProblems = await checkClientPromises(direct('order-service'), {
    placed: traffic.everyPlaced,
    customerPrefix: traffic.customerPrefix,
    refused: placed.refused,
  });
  const latencyBetween = (from: number, to: number) =>
    faultWindowLatency(
      direct('order-service'),
      traffic.customerPrefix,
      new Date(from),
      new Date(to),
    );
  // A scenario that marks when its fault took hold is measured from then: finding the active
  // controller to kill starts a JVM, seconds in which nothing is wrong yet.
  const faultFrom = context.marks[0]?.at ?? injectedAt;
  const duringFault = await latencyBetween(faultFrom, healedAt);
  const beforeFault = await latencyBetween(context.startedAt, faultFrom);
  const window = [traffic.customerPrefix, new Date(faultFrom), new Date(healedAt)] as const;
  const { steps: stepsDuringFault, slowest } = await sagaSteps(direct, ...window);
  const slowestDuringFault = slowest && {
    orderId: slowest.orderId,
    entries: [...slowest.entries, ...context.marks].sort((a, b) => a.at - b.at),
  };
  const report = await reconcile({
    order: direct('order-service'),
    inventory: direct('inventory-service'),
    payment: direct('payment-service'),
    notification: direct('notification-service'),
  });
  return {
    name: scenario.name,
    orders: placed.placed.length + 1,
    refused: placed.refused,
    faults,
    recoveryMs,
    settleMs,
    faultFrom,
    faultMs,
    duringFault,
    beforeFault,
    stepsDuringFault,
    slowestDuringFault,
    targets: scenario.targets,
    shutdowns: context.shutdowns.map(
      (o) => `${o.service} exit ${o.exitCode ?? o.signal} in ${(o.tookMs / 1000).toFixed(1)} s`,
    ),
    violations: [
      ...context.problems,
      ...poisonProblems,
      ...clientProblems,
      ...report.violations.map((v) => `[${v.check}] ${v.detail}`),
    ],
  };
}
