import { Kafka, KafkaJSError, logLevel, type SASLOptions } from 'kafkajs';
import { bootstrapServers, loadStackConfig } from '@shop/devstack';
import {
  UnknownTopicError,
  messagingSettings,
  type MessagingSettings,
  type MessagingSettingsInput,
} from '@shop/messaging';
import {
  KafkaSecurityEnvSchema,
  kafkaSecurityOf,
  parseEnv,
  saslSetTogether,
} from '@shop/service-kit';

/** Brokers from KAFKA_BROKERS, else the local stack's. */
export function toolBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return given && given.length > 0 ? given : bootstrapServers(loadStackConfig(env));
}

/** The services' own security settings, refused the same way when half a SASL setting is given. */
const ToolSecuritySchema = KafkaSecurityEnvSchema.refine(...saslSetTogether);

/**
 * How the tools authenticate, read exactly as the services and the console read it (service-kit's
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SSL_CA_FILE, TLS
 * trusting that CA, e.g. Strimzi's `<cluster>-cluster-ca-cert`). Without credentials, against the
 * local stack in its SCRAM mode (KAFKA_SECURE=true), the stack's own administrator.
 */
export function toolSecurity(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  let given: KafkaSecurity;
  try {
    given = kafkaSecurityOf(parseEnv(ToolSecuritySchema, env)) ?? {};
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (given.sasl || env.KAFKA_BROKERS) return given;
  const stack = loadStackConfig(env).kafka.security;
  return { ...given, sasl: stack && { mechanism: stack.mechanism, ...stack.admin } };
}

type KafkaSecurity = NonNullable<MessagingSettingsInput['security']>;

/**
 * The tools' messaging-kit settings, with the same security as toolKafka: a dead letter's replay
 * goes out through the kit's ReliableProducer, which takes TLS and SCRAM from here.
 */
export function toolMessagingSettings(brokers: string[], clientId: string): MessagingSettings {
  return messagingSettings({ brokers, clientId, security: toolSecurity() });
}

export function toolKafka(brokers: string[], clientId: string): Kafka {
  const { caCertificate, sasl } = toolSecurity();
  return new Kafka({
    clientId,
    brokers,
    ssl: caCertificate ? { ca: [caCertificate] } : undefined,
    sasl: sasl as SASLOptions | undefined,
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
      else if (refusedCredentials(err))
        console.error(
          `${name}: Kafka at ${brokers.join(',')} refused the credentials of ${process.env.KAFKA_SASL_USERNAME ?? "the local stack's administrator"} (check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD): ${(err as Error).message}`,
        );
      else if (err instanceof KafkaJSError)
        console.error(`${name}: cannot reach Kafka at ${brokers.join(',')}: ${err.message}`);
      else if (err instanceof Error) console.error(`${name}: ${err.message}${hint(err)}`);
      else console.error(err);
      process.exit(1);
    },
  );
}

export class UsageError extends Error {}

/** A SASL refusal, however deep kafkajs' retries wrapped it. */
function refusedCredentials(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = (e as { cause?: unknown }).cause)
    if (e.name === 'KafkaJSSASLAuthenticationError') return true;
  return false;
}

function hint(err: Error): string {
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED') return ' (is the system running? npm start)';
  return '';
}
