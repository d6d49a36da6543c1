import type { ChildProcess } from 'node:child_process';
import { StackError } from './errors';

/** A service process that ended while we waited for it to become ready. */
export class ServiceExitedError extends StackError {
  override readonly name = 'ServiceExitedError';
}

/**
 * Waits until a service we started answers `GET /health/ready` with 2xx: listening is not enough,
 * it must have its database migrated and its Kafka producer and consumer group up.
 */
export async function waitUntilReady(
  service: string,
  baseUrl: string,
  child: ChildProcess,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new ServiceExitedError(
        `${service} exited (${child.signalCode ?? child.exitCode}) before it was ready`,
      );
    try {
      if ((await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) })).ok)
        return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new StackError(`${service} was not ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
