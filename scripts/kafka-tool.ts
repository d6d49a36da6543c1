import fs from 'node:fs';
import { Kafka, KafkaJSError, logLevel } from 'kafkajs';
import { bootstrapServers, loadStackConfig } from '@shop/devstack';
import { UnknownTopicError, messagingSettings, type MessagingSettings } from '@shop/messaging';

/** Brokers from KAFKA_BROKERS, else the local stack's. */
export function toolBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return given && given.length > 0 ? given : bootstrapServers(loadStackConfig(env));
}

type ScramMechanism = 'scram-sha-512' | 'scram-sha-256';
/** One object type per mechanism, as kafkajs' SASLOptions takes them. */
type ScramCredentials = {
  [M in ScramMechanism]: { mechanism: M; username: string; password: string };
}[ScramMechanism];

/**
 * How the tools authenticate, with the services' own variable names: KAFKA_SASL_MECHANISM,
 * KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (SCRAM), KAFKA_SSL_CA_FILE (TLS, trusting that CA,
 * e.g. Strimzi's `<cluster>-cluster-ca-cert`). Without them, against the local stack in its SCRAM
 * mode (KAFKA_SECURE=true), the stack's own administrator.
 */
export function toolSecurity(env: NodeJS.ProcessEnv = process.env): {
  sasl?: ScramCredentials;
  ssl?: { ca: string[] };
} {
  const ssl = env.KAFKA_SSL_CA_FILE
    ? { ca: [fs.readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')] }
    : undefined;
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = env;
  if (mechanism || username) {
    if (mechanism !== 'scram-sha-512' && mechanism !== 'scram-sha-256')
      throw new UsageError('KAFKA_SASL_MECHANISM must be scram-sha-512 or scram-sha-256');
    if (!username || !env.KAFKA_SASL_PASSWORD)
      throw new UsageError('set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD with the mechanism');
    return { ssl, sasl: { mechanism, username, password: env.KAFKA_SASL_PASSWORD } };
  }
  const stack = env.KAFKA_BROKERS ? undefined : loadStackConfig(env).kafka.security;
  return {
    ssl,
    sasl: stack && { mechanism: stack.mechanism, ...stack.admin },
  };
}

/**
 * The tools' messaging-kit settings, with the same security as toolKafka: a dead letter's replay
 * goes out through the kit's ReliableProducer, which takes TLS and SCRAM from here.
 */
export function toolMessagingSettings(brokers: string[], clientId: string): MessagingSettings {
  const { sasl, ssl } = toolSecurity();
  return messagingSettings({
    brokers,
    clientId,
    security: {
      caCertificate: ssl?.ca[0],
      sasl,
    },
  });
}

export function toolKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...toolSecurity(),
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
