import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '@shop/observability';
import { ConfigError } from './config';
import { PROBLEM_CONTENT_TYPE, problemType } from './http/problem';

export interface RunningService {
  readonly logger: Logger;
  readonly shutdownTimeoutMs: number;
  /** Stops in order: HTTP first, then consumers and relay, then the database. */
  stop(): Promise<void>;
}

/**
 * Starts a service and keeps it until SIGTERM or SIGINT, then shuts it down gracefully.
 * A bad configuration ends start-up with one line; any other start-up failure is logged.
 */
export function runService(
  name: string,
  start: () => Promise<RunningService>,
  /** Runs after the service stopped, e.g. flushing traces. */
  afterStop: () => Promise<void> = async () => undefined,
): void {
  // Through a promise, so a configuration error thrown before start-up is handled the same way.
  Promise.resolve()
    .then(start)
    .then(
      (service) => {
        let stopping = false;
        const shutdown = (signal: string) => {
          if (stopping) return;
          stopping = true;
          service.logger.info({ signal }, 'shutting down');
          const force = setTimeout(() => {
            service.logger.error({ timeoutMs: service.shutdownTimeoutMs }, 'shutdown timed out');
            process.exit(1);
          }, service.shutdownTimeoutMs);
          force.unref();
          service
            .stop()
            .then(
              // The service's own work is committed by now; a trace flush that fails (collector
              // away) costs spans, not data, so it must not turn a clean stop into a failure.
              () =>
                afterStop().catch((err: unknown) =>
                  service.logger.warn({ err }, 'after-stop step failed'),
                ),
            )
            .then(
              () => {
                service.logger.info('stopped');
                process.exit(0);
              },
              (err: unknown) => {
                service.logger.error({ err }, 'shutdown failed');
                process.exit(1);
              },
            );
        };
        process.on('SIGTERM', () => shutdown('SIGTERM'));
        process.on('SIGINT', () => shutdown('SIGINT'));
      },
      (err: unknown) => {
        if (err instanceof ConfigError) console.error(`${name}: ${err.message}`);
        else console.error(`${name}: failed to start:`, err);
        process.exit(1);
      },
    );
}

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Stops taking requests and resolves once the ones in flight are answered. `server.close()` alone
 * is not enough: a keep-alive connection that is busy when it is called stays open and is served
 * for as long as its client keeps sending (seen in the chaos run: order-service kept inventory's
 * connections alive, so its shutdown waited for the traffic to pause). So from now on any new
 * request gets a 503 that closes its connection, and idle connections are closed as they appear.
 */
export function closeServer(server: Server): Promise<void> {
  // The app's handler keeps the requests it already has; new ones are refused.
  server.removeAllListeners('request');
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'content-type': PROBLEM_CONTENT_TYPE, connection: 'close' });
    res.end(
      JSON.stringify({
        type: problemType('Service Unavailable'),
        title: 'Service Unavailable',
        status: 503,
        detail: 'the service is shutting down',
      }),
    );
  });
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
