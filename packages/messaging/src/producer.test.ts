import { CompressionTypes, type Kafka, type ProducerBatch, type ProducerConfig } from 'kafkajs';
import { ReliableProducer } from './producer';
import { messagingSettings } from './settings';

/**
 * The guide's durability settings are what kafkajs is asked for, not what its defaults happen to
 * be: a producer made with acks 1, without idempotence or with more requests in flight would
 * still pass every end-to-end test on a healthy cluster.
 */
describe('the reliable producer asks kafkajs for the guide durability', () => {
  const configs: ProducerConfig[] = [];
  const batches: ProducerBatch[] = [];
  const kafka = {
    producer: (config: ProducerConfig) => {
      configs.push(config);
      return {
        connect: async () => undefined,
        sendBatch: async (batch: ProducerBatch) => {
          batches.push(batch);
          return [{ topicName: 'orders', partition: 0, errorCode: 0, baseOffset: '0' }];
        },
      };
    },
    admin: () => ({
      connect: async () => undefined,
      fetchTopicMetadata: async () => ({
        topics: [
          { name: 'orders', partitions: [{ partitionId: 0, leader: 1, replicas: [1], isr: [1] }] },
        ],
      }),
    }),
  } as unknown as Kafka;

  beforeAll(async () => {
    const producer = new ReliableProducer(
      kafka,
      messagingSettings({ brokers: ['b:9092'], clientId: 'test' }),
    );
    await producer.send('orders', { key: 'order-1', value: '{}' });
  });

  it('is idempotent with one request in flight and bounded retries', () => {
    expect(configs).toEqual([
      expect.objectContaining({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 3 },
      }),
    ]);
  });

  it('sends with acks=all and snappy', () => {
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ acks: -1, compression: CompressionTypes.Snappy });
  });
});
