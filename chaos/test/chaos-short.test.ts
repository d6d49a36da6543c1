import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChaos } from '../chaos-run';
import { scenarioTable } from '../report';
import { loadChaosSettings } from '../settings';

/**
 * The short profile of `npm run chaos`, on its own stack (ports 23xxx, its own state dir) so it
 * neither needs nor disturbs the suite's shared stack: inventory-service stopped with SIGTERM
 * during traffic (held to the shutdown bound) and its consumer group rewound, then everything at once —
 * the active controller and a service killed, slow network, database sessions cut, poison on every
 * topic. After each, the reconciliation must find nothing wrong.
 */
describe('npm run chaos, short profile', () => {
  it('keeps every invariant through graceful shutdowns, replays, crashes and poison', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-'));
    // PostgreSQL runs as the postgres user when the tests run as root.
    fs.chmodSync(stateDir, 0o755);
    try {
      const settings = loadChaosSettings('short', {
        ...process.env,
        CHAOS_PORT_BASE: '23000',
        CHAOS_DIR: stateDir,
        CHAOS_ORDERS: '80',
      });
      const { results, tookMs } = await runChaos(settings);
      console.info([...scenarioTable(results), `short profile: ${tookMs} ms`].join('\n'));

      expect(results.map((r) => r.name)).toEqual(['SIGTERM inventory + offsets rewound', 'mixed']);
      // One SIGTERM plus every record redelivered by the rewind.
      expect(results[0]!.faults).toBeGreaterThan(1);
      expect(results[0]!.shutdowns).toEqual([
        expect.stringMatching(/^inventory-service exit 0 in /),
      ]);
      for (const result of results) {
        expect({ scenario: result.name, violations: result.violations }).toEqual({
          scenario: result.name,
          violations: [],
        });
        expect(result.faults).toBeGreaterThan(0);
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 420_000);
});
