import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ClientName, WorkerMessage, WorkerRequest, WorkerResult } from './workload';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(__dirname, 'worker.ts');
export const TICK_MS = 10; // USER_HZ 100 on Linux

/** A client on a given Node.js: kafkajs runs on both, so each other client has its baseline. */
export interface Runner {
  readonly label: string;
  readonly client: ClientName;
  readonly node: string;
}

export interface Sample extends WorkerResult {
  /** The three brokers' CPU over the worker's measured window, less what they burn idle. */
  readonly brokerCpuMs: number;
}

export function ticksOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return sum + Number(fields[11]) + Number(fields[12]);
  }, 0);
}

/** Runs one worker to its end; rejects on a non-zero exit, or after `timeoutMs`. */
export function runWorker(
  runner: Runner,
  request: Omit<WorkerRequest, 'client'>,
  brokers: { readonly pids: readonly number[]; readonly idleCpuMsPerSecond: number },
  timeoutMs: number,
): Promise<Sample> {
  const child = spawn(
    runner.node,
    ['--import', 'tsx', WORKER, JSON.stringify({ ...request, client: runner.client })],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let startTicks = 0;
  let sample: Sample | undefined;
  child.on('message', (message: WorkerMessage) => {
    if (message.kind === 'started') {
      startTicks = ticksOf(brokers.pids);
      return;
    }
    const { result } = message;
    const busyMs = (ticksOf(brokers.pids) - startTicks) * TICK_MS;
    const brokerCpuMs = Math.max(0, busyMs - brokers.idleCpuMsPerSecond * result.seconds);
    sample = { ...result, brokerCpuMs };
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && sample) resolve(sample);
      else reject(new Error(`${runner.label} ${request.task.kind} ended with ${signal ?? code}`));
    });
  });
}
