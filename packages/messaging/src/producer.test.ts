import { CompressionTypes, type Kafka, type ProducerBatch, type ProducerConfig } from 'kafkajs';
import { ReliableProducer } from './producer';
import { messagingSettings } from './settings';

/** An admin that knows one topic, `orders`, with one partition. */
const oneTopicAdmin = () => ({
  connect: async () => undefined,
  fetchTopicMetadata: async () => ({
    topics: [
      { name: 'orders', partitions: [{ partitionId: 0, leader: 1, replicas: [1], isr: [1] }] },
    ],
  }),
});

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
    admin: oneTopicAdmin,
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

/**
 * A session renewed while a broker is away cannot connect at once; the producer must connect it
 * on a later send rather than refuse every send from then on.
 */
describe('the reliable producer after a session renewal that could not connect', () => {
  const outOfOrder = Object.assign(
    new Error('The broker received an out of order sequence number'),
    {
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    },
  );
  let producersMade = 0;
  let brokerAway = true;
  const kafka = {
    producer: () => {
      const session = ++producersMade;
      let connected = false;
      return {
        connect: async () => {
          if (session > 1 && brokerAway) throw new Error('Connection error: connect ECONNREFUSED');
          connected = true;
        },
        disconnect: async () => void (connected = false),
        sendBatch: async () => {
          if (!connected) throw new Error('The producer is disconnected');
          if (session === 1) throw outOfOrder;
          return [{ topicName: 'orders', partition: 0, errorCode: 0, baseOffset: '0' }];
        },
      };
    },
    admin: oneTopicAdmin,
  } as unknown as Kafka;

  it('connects the new session on the next send once the broker is back', async () => {
    const producer = new ReliableProducer(
      kafka,
      messagingSettings({ brokers: ['b:9092'], clientId: 'test' }),
    );
    await producer.connect();
    const send = () => producer.send('orders', { key: 'order-1', value: '{}' });

    await expect(send()).rejects.toThrow('the idempotent producer session was renewed');
    await expect(send()).rejects.toThrow('ECONNREFUSED');
    brokerAway = false;
    await expect(send()).resolves.toHaveLength(1);
    await expect(send()).resolves.toHaveLength(1);
    expect(producersMade).toBe(2);
  });
});
