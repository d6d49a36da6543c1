import { logLevel } from 'kafkajs';
import { createLogger } from '@shop/observability';
import { kafkaConfigOf, levelOfKafkaLog } from './kafka';
import { messagingSettings } from './settings';

describe('kafkajs log levels', () => {
  it('writes a response error kafkajs retries (a coordinator loading at start-up) at debug', () => {
    const loading = {
      error: "The coordinator is loading and hence can't process requests for this group",
    };
    expect(levelOfKafkaLog(logLevel.ERROR, loading)).toBe('debug');
    expect(
      levelOfKafkaLog(logLevel.ERROR, {
        error:
          'There is no leader for this topic-partition as we are in the middle of a leadership election',
      }),
    ).toBe('debug');
  });

  it('keeps every other error an error, and warnings warnings', () => {
    expect(
      levelOfKafkaLog(logLevel.ERROR, {
        error: 'Not authorized to access topics: [Topic authorization failed]',
      }),
    ).toBe('error');
    expect(levelOfKafkaLog(logLevel.ERROR, {})).toBe('error');
    expect(levelOfKafkaLog(logLevel.WARN, {})).toBe('warn');
    expect(levelOfKafkaLog(logLevel.INFO, {})).toBe('debug');
  });
});

describe('the kafkajs client the kit builds', () => {
  it('backs off at most 1 s between attempts, so it asks again about as fast as leadership moves', () => {
    const config = kafkaConfigOf(
      messagingSettings({ brokers: ['b:9092'], clientId: 'order-service' }),
      createLogger('kafka-test', 'silent'),
    );
    expect(config.retry).toEqual({ retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 });
  });

  it('gives a consumer thirty attempts, so a broker fail-over does not restart it', () => {
    const settings = messagingSettings({ brokers: ['b:9092'], clientId: 'order-service' });
    expect(settings.consumer.retries).toBe(30);
  });
});
