/**
 * `npm run chaos [-- --short]` (`CHAOS_SCENARIOS=broker,controller` runs only those): demo traffic while faults are injected one scenario at a time and
 * then mixed; after each, quiescence and the reconciliation. Exit 1 on any violation.
 */
import { runChaos } from './chaos-run';
import { missedTargets, scenarioTable, violationLines } from './report';
import { loadChaosSettings } from './settings';

async function main(): Promise<number> {
  const settings = loadChaosSettings(process.argv.includes('--short') ? 'short' : 'full');
  const { results, tookMs } = await runChaos(settings, (line) => console.log(line));
  console.log('');
  for (const line of scenarioTable(results)) console.log(line);
  const violations = violationLines(results);
  const orders = results.reduce((n, r) => n + r.orders, 0);
  console.log(
    `\n${orders} orders, ${results.length} scenarios in ${(tookMs / 60_000).toFixed(1)} min`,
  );
  console.log(
    violations.length === 0 ? 'chaos: 0 violations' : `chaos: ${violations.length} violation(s)`,
  );
  for (const line of violations) console.log(line);
  // Targets are this machine's goals, reported; only a broken invariant fails the run.
  const missed = missedTargets(results);
  console.log(missed.length === 0 ? 'targets: all met' : `targets: ${missed.length} missed`);
  for (const line of missed) console.log(line);
  return violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`chaos: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
