import { prettyFactory } from 'pino-pretty';

/**
 * What a person watching `npm start` reads: one line per event, coloured on a terminal, at a level
 * that keeps start-up, endpoints, warnings, errors, retries and dead letters. The lines written
 * for every record, request and notification, and business skips (the guide's log lines, kept as
 * they are in production) show only with `--verbose`. The services themselves always write JSON; their log
 * files keep every line as written.
 */
const PER_EVENT = new Set([
  'message processed',
  'http request',
  'notification sent',
  // A record a domain rule turned down (a cancel for a reservation already released): the saga
  // working as designed, counted in kafka_messages_processed_total{status="skip"}.
  'business error, message skipped',
]);

export interface TerminalLogOptions {
  readonly verbose: boolean;
  readonly colour: boolean;
}

/** Turns one line a service wrote into what the terminal shows, or undefined to show nothing. */
export function terminalLog(options: TerminalLogOptions): (line: string) => string | undefined {
  const pretty = prettyFactory({
    colorize: options.colour,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,component,groupId',
    messageFormat: '{service} {msg}',
  });
  return (line) => {
    if (!line.startsWith('{')) return line; // not JSON: a crash's stack trace, say; show as is
    let entry: { msg?: unknown };
    try {
      entry = JSON.parse(line) as { msg?: unknown };
    } catch {
      return line;
    }
    if (!options.verbose && typeof entry.msg === 'string' && PER_EVENT.has(entry.msg)) {
      return undefined;
    }
    return pretty(entry).trimEnd();
  };
}
