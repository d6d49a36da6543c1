import {
  CompressionCodecs,
  CompressionTypes,
  Kafka,
  logLevel,
  type SASLOptions,
  type logCreator,
} from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import type { Logger } from '@shop/observability';
import type { MessagingSettings } from './settings';

// kafkajs ships gzip only; the guide's compression-type snappy needs the codec registered.
CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

export function createKafka(settings: MessagingSettings, logger: Logger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
    ssl: settings.security.caCertificate ? { ca: [settings.security.caCertificate] } : undefined,
    sasl: settings.security.sasl as SASLOptions | undefined,
    retry: { retries: settings.producer.retries },
  });
}

/**
 * kafkajs warns on every idempotent producer whose retries are bounded. The guide bounds them
 * (retries 3) on purpose: the outbox relay retries the whole batch itself, without limit.
 */
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      if (EXPECTED_WARNINGS.has(message)) return;
      if (level <= logLevel.ERROR) logger.error(extra, message);
      else if (level === logLevel.WARN) logger.warn(extra, message);
      else logger.debug(extra, message);
    };
}

export function compressionOf(settings: MessagingSettings): CompressionTypes {
  return settings.producer.compression === 'snappy'
    ? CompressionTypes.Snappy
    : CompressionTypes.None;
}
