import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import { waitUntilReady } from './readiness';
import { serviceCommand } from './service-command';
import { serviceEnv, type Deployable, type ServiceWiring } from './service-env';

/**
 * Where a service's output goes: appended to a log file; piped to the caller, both streams or
 * stdout alone (its stderr then shares the caller's).
 */
export type ServiceOutput = { readonly logFile: string } | 'pipe' | 'pipe-stdout';

export interface LaunchOptions extends ServiceWiring {
  readonly output: ServiceOutput;
  /** e.g. a CPU profile: `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
}

export interface LaunchedService {
  readonly service: Deployable;
  readonly child: ChildProcess;
  /** Where it answers; with httpPort 0, its `listening` log line names the port instead. */
  readonly url: string;
  /** Resolves once it answers `GET /health/ready`; a ServiceExitedError if it exits first. */
  ready(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a service as its own process, as `npm start`, the chaos run, the benchmark and the
 * process tests all do: its compiled code straight under node (not through `npm run`, which
 * exits on SIGTERM without waiting for its child), with the environment the wiring gives it.
 */
export function spawnService(service: Deployable, options: LaunchOptions): LaunchedService {
  const run = serviceCommand(service, options.nodeFlags);
  const env = { ...process.env, ...serviceEnv(service, options) };
  const logFd = typeof options.output === 'object' ? fs.openSync(options.output.logFile, 'a') : -1;
  let child: ChildProcess;
  try {
    child = spawn(run.command, run.args, {
      cwd: run.cwd,
      stdio: stdioOf(options.output, logFd),
      env,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    if (logFd >= 0) fs.closeSync(logFd);
  }
  const url = `http://127.0.0.1:${options.httpPort}`;
  return {
    service,
    child,
    url,
    ready: (timeoutMs) => waitUntilReady(service, url, child, timeoutMs),
  };
}

function stdioOf(output: ServiceOutput, logFd: number): StdioOptions {
  if (output === 'pipe') return ['ignore', 'pipe', 'pipe'];
  if (output === 'pipe-stdout') return ['ignore', 'pipe', 'inherit'];
  return ['ignore', logFd, logFd];
}
