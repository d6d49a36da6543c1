import {
  CompressionCodecs,
  CompressionTypes,
  Kafka,
  logLevel,
  type KafkaConfig,
  type SASLOptions,
  type logCreator,
} from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import type { Logger } from '@shop/observability';
import type { MessagingSettings } from './settings';

// kafkajs ships gzip only; the guide's compression-type snappy needs the codec registered.
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

export function createKafka(settings: MessagingSettings, logger: Logger): Kafka {
  return new Kafka(kafkaConfigOf(settings, logger));
}

export function kafkaConfigOf(settings: MessagingSettings, logger: Logger): KafkaConfig {
  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
    ssl: settings.security.caCertificate ? { ca: [settings.security.caCertificate] } : undefined,
    sasl: settings.security.sasl as SASLOptions | undefined,
    // The back-off every client of this instance inherits; each sets its own number of attempts.
    retry: {
      retries: settings.producer.retries,
      initialRetryTime: settings.retryBackoff.initialMs,
      maxRetryTime: settings.retryBackoff.maxMs,
    },
  };
}

/**
 * kafkajs warns on every idempotent producer whose retries are bounded. The guide bounds them
 * (retries 3) on purpose: the outbox relay retries the whole batch itself, without limit.
 */
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/**
 * kafkajs logs every error response at ERROR, then retries the retriable ones itself: a group
 * coordinator still loading at start-up, a leader that moved. Those are not errors of ours (a
 * request that finally fails reaches its caller, which reports it), so they log at debug. The
 * messages are kafkajs' own table of Kafka's error codes, which it exports from this module only.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: Array<{ message: string; retriable: boolean }>;
};
const RETRIABLE_RESPONSES = new Set(errorCodes.filter((e) => e.retriable).map((e) => e.message));

/** The level a kafkajs log entry is written at. */
export function levelOfKafkaLog(
  level: logLevel,
  extra: Record<string, unknown>,
): 'error' | 'warn' | 'debug' {
  if (level <= logLevel.ERROR) {
    const retried = typeof extra.error === 'string' && RETRIABLE_RESPONSES.has(extra.error);
    return retried ? 'debug' : 'error';
  }
  return level === logLevel.WARN ? 'warn' : 'debug';
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      if (EXPECTED_WARNINGS.has(message)) return;
      logger[levelOfKafkaLog(level, extra)](extra, message);
    };
}

export function compressionOf(settings: MessagingSettings): CompressionTypes {
  return settings.producer.compression === 'snappy'
    ? CompressionTypes.Snappy
    : CompressionTypes.None;
}
