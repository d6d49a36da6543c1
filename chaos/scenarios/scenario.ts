import type { TimelineEntry } from '../saga-steps';
import type { ChaosStack } from '../chaos-stack';
import type { PoisonRecord } from '../poison-records';
import type { ServiceFleet, ShutdownOutcome } from '../service-fleet';

/** What a fault works with, and where it leaves what the reconciliation must check afterwards. */
export interface FaultContext {
  readonly stack: ChaosStack;
  readonly fleet: ServiceFleet;
  readonly run: string;
  /** When the scenario's traffic began (ms since epoch). */
  readonly startedAt: number;
  /** Poison the fault produced: each must end in the right DLQ. */
  readonly poison: PoisonRecord[];
  /** Orders whose OrderCreated the fault sent to the DLQ: each must end CANCELLED by its deadline. */
  readonly deadLettered: string[];
  /** Violations the fault itself observed, e.g. a shutdown past its bound. */
  readonly problems: string[];
  /** How each SIGTERM ended. */
  readonly shutdowns: ShutdownOutcome[];
  /** What the fault did when (epoch ms), e.g. a broker killed: shown beside the slowest order. */
  readonly marks: TimelineEntry[];
}

/** What the system must do under a scenario, on this machine; the run prints each against it. */
export interface ScenarioTargets {
  /** p99 created -> COMPLETED of the orders placed while the fault was in place. */
  readonly faultP99Ms?: number;
  /** From healing until an order placed at that moment completed. */
  readonly recoveryMs?: number;
}

/** One chaos scenario: injects its faults while traffic flows and heals them before returning. */
export interface Scenario {
  readonly name: string;
  readonly targets?: ScenarioTargets;
  /** Returns how many faults were injected. */
  inject(context: FaultContext): Promise<number>;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
