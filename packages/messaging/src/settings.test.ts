import { messagingSettings } from './settings';

describe('messaging settings', () => {
  it('default to the guide values', () => {
    const s = messagingSettings({ brokers: ['127.0.0.1:9092'], clientId: 'inventory-service' });
    expect(s.consumer).toMatchObject({
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      partitionsConsumedConcurrently: 3,
      commitEveryRecords: 10,
      fetchMaxWaitMs: 500,
      maxBytesPerPartition: 1_048_576,
      retryDelaysMs: [1_000, 10_000, 60_000],
    });
    expect(s.producer).toEqual({ retries: 3, compression: 'snappy' });
  });

  it('needs one delay per retry tier', () => {
    expect(() =>
      messagingSettings({ brokers: ['b:1'], clientId: 'x', consumer: { retryDelaysMs: [1, 2] } }),
    ).toThrow();
  });
});
