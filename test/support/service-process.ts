import { spawn, type ChildProcess } from 'node:child_process';
import type { ServiceName } from '@shop/contracts';
import { serviceCommand } from '@shop/devstack';
import { eventually } from '@shop/testkit';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Every JSON log line the service wrote so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited and its output is read. */
  readonly exited: Promise<number | null>;
}

/** Runs a service as its own process, as `npm start` does, and waits until it listens. */
export async function launchService(
  service: ServiceName,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const run = serviceCommand(service);
  const child = spawn(run.command, run.args, {
    cwd: run.cwd,
    env: { ...process.env, HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // 'close', not 'exit': the last log lines may still be in the pipe when the process exits.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  const logs: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (c: Buffer) => {
    buffer += c.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines)
      if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  await eventually(
    () => logs.some((l) => l.msg === `${service} listening`),
    60_000,
    `${service} to listen`,
  );
  return {
    child,
    port: logs.find((l) => l.msg === `${service} listening`)!.port as number,
    logs,
    exited,
  };
}
