import { spawn, type ChildProcess } from 'node:child_process';
import { ProcessSampler } from '../saga/process-stats';

/**
 * A process that burns a fixed amount of CPU, says so, and idles a while before it exits: a
 * PostgreSQL backend a pool opens mid-window, say. Fixed work, not fixed time, so a busy
 * machine only slows it down.
 */
function lateProcess(): { child: ChildProcess; burnt: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '-e',
      'let x = 0; for (let i = 0; i < 3e8; i++) x += i; console.log(x > 0); setTimeout(() => {}, 3000);',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const burnt = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, burnt };
}

describe('ProcessSampler', () => {
  it('lists the groups at every sample: a process born inside the window counts from its start', async () => {
    const backends: number[] = [];
    const sampler = new ProcessSampler(() => new Map([['postgres', [...backends]]]));
    const began = performance.now();
    sampler.start();
    const { child, burnt } = lateProcess();
    backends.push(child.pid!);
    await burnt;
    await new Promise((r) => setTimeout(r, 1_200)); // one sample while it is still alive
    const { processes } = sampler.stop();
    const seconds = (performance.now() - began) / 1_000;
    child.kill();
    // It burnt a few hundred ms of CPU; a sampler that listed processes once, at the start, saw none.
    expect((processes.postgres!.cpuPercent / 100) * seconds).toBeGreaterThan(0.1);
  }, 60_000);
});
