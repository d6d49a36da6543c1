import type { ChaosProfile } from '../settings';
import { brokerKill, controllerKill } from './broker-faults';
import { connectionCut, postgresRestart } from './database-faults';
import { inventoryReplay, offsetReplay, poisonRecords } from './message-faults';
import { mixedFaults } from './mixed-faults';
import { networkBandwidth, networkLatency, networkReset, networkTimeout } from './network-faults';
import type { Scenario } from './scenario';
import { eachServiceKill, eachServiceTerminate, twoServicesKill } from './service-faults';

export type { FaultContext, Scenario } from './scenario';

/** One scenario at a time, then all mixed; the short profile keeps one of each kind of proof. */
export function scenariosOf(profile: ChaosProfile): Scenario[] {
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
