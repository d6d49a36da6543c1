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

describe('the consumer asks kafkajs for', () => {
  it('the group settings and enough attempts to ride out a broker fail-over', () => {
    const configs: ConsumerConfig[] = [];
    const kafka = {
      consumer: (config: ConsumerConfig) => (configs.push(config), {}),
    } as unknown as Kafka;
    const settings = messagingSettings({ brokers: ['b:9092'], clientId: 'order-service' });
    new MessageConsumer({
      topology: topologyOf('order-service'),
      kafka,
      producer: {} as ReliableProducer,
      sequelize: {} as Sequelize,
      scopes: {} as TransactionScopes,
      subscription: eventSubscription({}),
      settings: settings.consumer,
      logger: createLogger('runner-test', 'silent'),
      metrics: {} as MessagingMetrics,
    });
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
