import { EventEmitter } from 'node:events';
import type { ConsumerConfig, Kafka } from 'kafkajs';
import type { Sequelize } from 'sequelize';
import { createLogger } from '@shop/observability';
import type { MessagingMetrics } from '../metrics';
import type { ReliableProducer } from '../producer';
import { messagingSettings } from '../settings';
import type { TransactionScopes } from '../transactions';
import { eventSubscription } from './handlers';
import { MessageConsumer } from './runner';
import { topologyOf } from './topology';

const options = (kafka: Kafka) => ({
  topology: topologyOf('order-service'),
  kafka,
  producer: {} as ReliableProducer,
  sequelize: {} as Sequelize,
  scopes: {} as TransactionScopes,
  subscription: eventSubscription({}),
  settings: messagingSettings({ brokers: ['b:9092'], clientId: 'order-service' }).consumer,
  logger: createLogger('runner-test', 'silent'),
  metrics: { initialize: () => undefined } as unknown as MessagingMetrics,
});

/** What kafkajs does on a crash: it has disconnected, then says whether it restarts itself. */
function kafkajsConsumer() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const consumer = {
    events: { REBALANCING: 'rebalancing', GROUP_JOIN: 'group-join', CRASH: 'crash' },
    on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener),
    connect: async () => void calls.push('connect'),
    subscribe: async () => void calls.push('subscribe'),
    run: async () => void calls.push('run'),
    disconnect: async () => void calls.push('disconnect'),
  };
  const crash = (restart: boolean) =>
    emitter.emit('crash', { payload: { error: new Error('Broker not connected'), restart } });
  const join = () => emitter.emit('group-join', { payload: {} });
  return { kafka: { consumer: () => consumer } as unknown as Kafka, calls, crash, join };
}

describe('a consumer that kafkajs gave up on', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is restarted by the kit, after a pause that grows until the group is joined', async () => {
    const { kafka, calls, crash, join } = kafkajsConsumer();
    const consumer = new MessageConsumer(options(kafka));
    await consumer.start();
    expect(calls).toEqual(['connect', 'subscribe', 'run']);

    crash(false);
    await jest.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['connect', 'subscribe', 'run', 'connect', 'subscribe', 'run']);

    crash(false); // again before it joined: the pause doubles
    await jest.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(6);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(9);

    join();
    crash(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(12);
  });

  it('is left to kafkajs when kafkajs restarts it, and not restarted once stopped', async () => {
    const { kafka, calls, crash } = kafkajsConsumer();
    const consumer = new MessageConsumer(options(kafka));
    await consumer.start();
    crash(true);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['connect', 'subscribe', 'run']);

    crash(false);
    await consumer.stop();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(calls).toEqual(['connect', 'subscribe', 'run', 'disconnect']);
  });
});

describe('the consumer asks kafkajs for', () => {
  it('the group settings and enough attempts to ride out a broker fail-over', () => {
    const configs: ConsumerConfig[] = [];
    const kafka = {
      consumer: (config: ConsumerConfig) => (configs.push(config), {}),
    } as unknown as Kafka;
    new MessageConsumer(options(kafka));
    expect(configs).toEqual([
      expect.objectContaining({
        groupId: 'order-service-group',
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        readUncommitted: false,
        allowAutoTopicCreation: false,
        retry: { retries: 30 },
        metadataMaxAge: 1_000,
      }),
    ]);
  });
});
