import fs from 'node:fs';
import path from 'node:path';
import { runningPid, startDetached, stopProcess } from '../processes';
import { STATE_DIR, paths } from './config';
import type { Component } from './components';
import { namespaceEnv, nsenterArgs } from './namespace';

/**
 * The cluster's processes outlive the CLI: each is started detached, through nsenter into the
 * namespace, with a log file and a pid file under the state dir. nsenter execs the program, so
 * the recorded pid is the component itself.
 */

const pidFile = (name: string) => path.join(paths.pids, `${name}.pid`);
export const logFile = (name: string) => path.join(paths.logs, `${name}.log`);

/** Every component's command line names a file under the state dir: a recycled pid never matches. */
const managed = (name: string) => ({ pidFile: pidFile(name), marker: STATE_DIR });

export function pidOf(name: string): number | undefined {
  return runningPid(managed(name));
}

export function start(c: Component): number {
  fs.mkdirSync(paths.pids, { recursive: true });
  fs.mkdirSync(paths.logs, { recursive: true });
  return startDetached(
    'nsenter',
    nsenterArgs(c.command, c.args),
    logFile(c.name),
    pidFile(c.name),
    {
      env: namespaceEnv(),
      cwd: STATE_DIR,
    },
  );
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(name: string, graceMs = 15_000): Promise<void> {
  const pid = pidOf(name);
  if (pid !== undefined) await stopProcess(pid, graceMs);
  fs.rmSync(pidFile(name), { force: true });
}

/** The end of a component's log, for error messages. */
export function logTail(name: string, chars = 3000): string {
  try {
    const text = fs.readFileSync(logFile(name), 'utf8');
    return text.slice(-chars);
  } catch {
    return '(no log)';
  }
}

/** Throws with the log's tail when a component has exited (fail fast instead of timing out). */
export function assertRunning(name: string): void {
  if (pidOf(name) === undefined) {
    throw new Error(`${name} exited; ${logFile(name)} ends with:\n${logTail(name)}`);
  }
}
