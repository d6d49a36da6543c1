import { logLevel } from 'kafkajs';
import { levelOfKafkaLog } from './kafka';

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
