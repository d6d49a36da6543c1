import type { ChildProcess } from 'node:child_process';
import type { ServiceName } from '@shop/contracts';
import { spawnService, type ServiceWiring } from '@shop/devstack';
import { eventually } from '@shop/testkit';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Every JSON log line the service wrote so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited and its output is read. */
  readonly exited: Promise<number | null>;
}

/**
 * Runs a service as its own process, as `npm start` does, on a free port and logging at info,
 * and waits until it listens.
 */
export async function launchService(
  service: ServiceName,
  wiring: Omit<ServiceWiring, 'httpPort'>,
): Promise<ServiceProcess> {
  const { child } = spawnService(service, {
    httpPort: 0,
    logLevel: 'info',
    ...wiring,
    output: 'pipe-stdout',
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
