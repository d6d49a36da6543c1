import type { Toxic } from '../toxiproxy';
import { pause, type Scenario, type ScenarioTargets } from './scenario';

/** A toxiproxy fault on the services' links to Kafka and PostgreSQL, held for a while, then healed. */
function networkFault(
  name: string,
  toxics: Toxic[],
  holdMs: number,
  targets?: ScenarioTargets,
): Scenario {
  return {
    name,
    targets,
    async inject({ stack }) {
      const injected = await stack.poisonNetwork(toxics, 'both');
      try {
        await pause(holdMs);
      } finally {
        await stack.healNetwork();
      }
      return injected;
    },
  };
}

export const networkLatency = networkFault(
  'network latency 300±100 ms',
  [
    { type: 'latency', attributes: { latency: 300, jitter: 100 } },
    { type: 'latency', attributes: { latency: 300, jitter: 100 }, stream: 'upstream' },
  ],
  15_000,
);

export const networkBandwidth = networkFault(
  'network bandwidth 32 KB/s',
  [
    { type: 'bandwidth', attributes: { rate: 32 } },
    { type: 'bandwidth', attributes: { rate: 32 }, stream: 'upstream' },
  ],
  15_000,
);

/** Data stops flowing and connections are closed after 3 s: a partition that looks like a hang. */
export const networkTimeout = networkFault(
  'network timeouts',
  [{ type: 'timeout', attributes: { timeout: 3_000 } }],
  10_000,
);

/** Every connection is reset (TCP RST) a second after it opens. */
export const networkReset = networkFault(
  'network resets',
  [{ type: 'reset_peer', attributes: { timeout: 1_000 } }],
  10_000,
  // New connections after the heal are clean at once: nothing is left to wait for but back-offs.
  { recoveryMs: 5_000 },
);
