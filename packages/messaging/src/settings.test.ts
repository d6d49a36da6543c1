import { messagingSettings } from './settings';

describe('messaging settings', () => {
  it('default to the guide values', () => {
    const s = messagingSettings({ brokers: ['127.0.0.1:9092'], clientId: 'inventory-service' });
    expect(s.consumer).toMatchObject({
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
      partitionsConsumedConcurrently: 3,
      commitEveryRecords: 10,
      commitIntervalMs: 0,
      savepointForSingleRecord: false,
      fetchMaxWaitMs: 500,
      maxBytesPerPartition: 1_048_576,
      retryDelaysMs: [1_000, 10_000, 60_000],
      dlqMaxReplays: 3,
    });
    expect(s.producer).toEqual({ retries: 3, compression: 'snappy' });
  });

  it('needs one delay per retry tier', () => {
    expect(() =>
      messagingSettings({ brokers: ['b:1'], clientId: 'x', consumer: { retryDelaysMs: [1, 2] } }),
    ).toThrow();
  });

  it('default the outbox relay to a 1 s poll, 5 ms linger, asynchronous marks, retries within 1 s, 200 records a batch, a day of sent rows swept every 10 min', () => {
    const s = messagingSettings({ brokers: ['b:1'], clientId: 'x' });
    expect(s.outbox).toEqual({
      pollIntervalMs: 1_000,
      lingerMs: 5,
      retryMaxMs: 1_000,
      asyncCommitMarks: true,
      batchSize: 200,
      retentionHours: 24,
      cleanupIntervalMs: 600_000,
    });
    expect(s.consumer.recordsPerTransaction).toBe(100);
    expect(s.consumer.fetchMinBytes).toBe(1);
    expect(s.security).toEqual({});
  });

  it('take a whole cluster of brokers, but not none', () => {
    expect(
      messagingSettings({ brokers: ['a:9092', 'b:9092', 'c:9092'], clientId: 'x' }).brokers,
    ).toHaveLength(3);
    expect(() => messagingSettings({ brokers: [], clientId: 'x' })).toThrow();
    expect(() => messagingSettings({ brokers: [''], clientId: 'x' })).toThrow();
  });

  it('take TLS and SCRAM credentials, refusing empty ones', () => {
    const sasl = {
      mechanism: 'scram-sha-512',
      username: 'order-service',
      password: 's3cret',
    } as const;
    const security = { caCertificate: '-----BEGIN CERTIFICATE-----', sasl };
    expect(messagingSettings({ brokers: ['b:1'], clientId: 'x', security }).security).toEqual(
      security,
    );
    for (const broken of [
      { ...security, caCertificate: '' },
      { ...security, sasl: { ...sasl, username: '' } },
      { ...security, sasl: { ...sasl, password: '' } },
    ]) {
      expect(() =>
        messagingSettings({ brokers: ['b:1'], clientId: 'x', security: broken }),
      ).toThrow();
    }
  });

  it.each(['snappy', 'none'] as const)('take %s compression', (compression) => {
    expect(
      messagingSettings({ brokers: ['b:1'], clientId: 'x', producer: { compression } }).producer
        .compression,
    ).toBe(compression);
  });

  // Each bound: the lowest and highest value taken, then one past each (null: no upper bound).
  it.each([
    ['consumer', 'partitionsConsumedConcurrently', 1, 64],
    ['consumer', 'commitEveryRecords', 1, null],
    ['consumer', 'recordsPerTransaction', 1, 1_000],
    ['consumer', 'dlqMaxReplays', 1, 100],
    ['outbox', 'batchSize', 1, 5_000],
  ] as const)('keep %s.%s within %s..%p', (section, key, lowest, highest) => {
    const parse = (value: number) =>
      messagingSettings({ brokers: ['b:1'], clientId: 'x', [section]: { [key]: value } });
    expect((parse(lowest)[section] as unknown as Record<string, number>)[key]).toBe(lowest);
    const high = highest ?? 10_000;
    expect((parse(high)[section] as unknown as Record<string, number>)[key]).toBe(high);
    expect(() => parse(lowest - 1)).toThrow();
    if (highest !== null) expect(() => parse(highest + 1)).toThrow();
  });
});
