import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScript } from '@shop/testkit';
import type { BenchResult } from '../report';

/** `npm run bench -- --quick`: every part of the benchmark runs end to end; the figures are not judged. */
describe('npm run bench --quick', () => {
  it('measures the raw limits, the kit and a short saga step, and writes the report', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    const run = await runScript(path.join(__dirname, '..', 'main.ts'), ['--quick', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const result = JSON.parse(
      fs.readFileSync(path.join(out, 'latest.json'), 'utf8'),
    ) as BenchResult;
    const raw = result.raw!;
    for (const figure of [
      raw.javaProduce.recordsPerSecond,
      raw.javaConsume.recordsPerSecond,
      raw.kafkajsProduce.recordsPerSecond,
      raw.kafkajsConsume.recordsPerSecond,
      raw.kitProduce.recordsPerSecond,
      raw.kitConsume.recordsPerSecond,
      raw.postgresSagaStep.transactionsPerSecond,
    ])
      expect(figure).toBeGreaterThan(0);
    const [step] = result.steps;
    expect(step!.accepted).toBeGreaterThan(0);
    expect(step!.terminal).toBe(step!.accepted);
    expect(step!.violations).toBe(0);
    expect(step!.latencyMs.p99).toBeGreaterThan(0);
    expect(Object.keys(step!.processes)).toEqual(
      expect.arrayContaining(['order-service', 'inventory-service', 'kafka-1', 'postgres']),
    );
    expect(step!.loadGenerator.cpuPercent).toBeGreaterThan(0);

    // Start-up, idle and the per-order counts: every process measured, every server counter live.
    expect(Object.keys(result.startupMs!)).toHaveLength(4);
    const idle = result.idle!;
    expect(Object.keys(idle.cores)).toEqual(
      expect.arrayContaining(['payment-service', 'kafka-3', 'postgres']),
    );
    expect(idle.systemCores).toBeGreaterThan(0);
    const low = result.lowRate!;
    expect(low.step.terminal).toBe(low.step.accepted);
    expect(low.step.cancelled).toBe(0);
    for (const counter of [
      'statements',
      'transactions',
      'walSyncs',
      'kafka.Produce',
      'kafka.Fetch',
    ])
      expect(low.perOrderGross[counter]).toBeGreaterThan(0);
    expect(low.cpuMsPerOrder['order-service']!.gross).toBeGreaterThan(0);
    expect(result.scale!.services.map((s) => s.partitions)).toEqual([6, 6, 6, 6]);

    const markdown = fs.readFileSync(path.join(out, 'latest.md'), 'utf8');
    for (const section of [
      '## Start-up and memory at idle',
      '## Idle',
      '## Per happy order',
      'orders/s on paper',
    ])
      expect(markdown).toContain(section);
    expect(fs.readFileSync(path.join(out, 'latest.md'), 'utf8')).toContain('| orders/s offered');
    expect(fs.readFileSync(path.join(out, 'latest.svg'), 'utf8')).toMatch(/^<svg/);
    fs.rmSync(out, { recursive: true, force: true });
  }, 300_000);
});
