import type { ChaosProfile } from '../settings';
import { brokerKill, controllerKill } from './broker-faults';
import { connectionCut, postgresRestart } from './database-faults';
import { inventoryReplay, offsetReplay, poisonRecords } from './message-faults';
import { mixedFaults } from './mixed-faults';
import { networkBandwidth, networkLatency, networkReset, networkTimeout } from './network-faults';
import type { Scenario } from './scenario';
import { eachServiceKill, eachServiceTerminate, twoServicesKill } from './service-faults';

export type { FaultContext, Scenario, ScenarioTargets } from './scenario';

/** One scenario at a time, then all mixed; the short profile keeps one of each kind of proof. */
export function scenariosOf(profile: ChaosProfile, only?: readonly string[]): Scenario[] {
  const all = profileScenarios(profile);
  if (!only || only.length === 0) return all;
  const wanted = all.filter((s) =>
    only.some((w) => s.name.toLowerCase().includes(w.toLowerCase())),
  );
  if (wanted.length === 0) throw new Error(`no ${profile} scenario matches ${only.join(', ')}`);
  return wanted;
}

function profileScenarios(profile: ChaosProfile): Scenario[] {
  if (profile === 'short') return [inventoryReplay, mixedFaults];
  return [
    brokerKill,
    controllerKill,
    eachServiceKill,
    twoServicesKill,
    eachServiceTerminate,
    postgresRestart,
    connectionCut,
    networkLatency,
    networkTimeout,
    networkReset,
    networkBandwidth,
    poisonRecords,
    offsetReplay,
    mixedFaults,
  ];
}
