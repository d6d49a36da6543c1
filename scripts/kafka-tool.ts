import { Kafka, KafkaJSError, logLevel } from 'kafkajs';
import { bootstrapServers, loadStackConfig } from '@shop/devstack';
import { UnknownTopicError } from '@shop/messaging';

/** Brokers from KAFKA_BROKERS, else the local stack's. */
export function toolBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return given && given.length > 0 ? given : bootstrapServers(loadStackConfig(env));
}

export function toolKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 200 },
  });
}

/** Runs an operator command; expected failures become one line on stderr and exit code 1. */
export function runTool(name: string, brokers: string[], main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UnknownTopicError) console.error(`${name}: ${err.message}`);
      else if (err instanceof KafkaJSError)
        console.error(`${name}: cannot reach Kafka at ${brokers.join(',')}: ${err.message}`);
      else if (err instanceof Error) console.error(`${name}: ${err.message}${hint(err)}`);
      else console.error(err);
      process.exit(1);
    },
  );
}

export class UsageError extends Error {}

function hint(err: Error): string {
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED') return ' (is the system running? npm start)';
  return '';
}
