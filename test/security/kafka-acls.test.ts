import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import {
  OPERATOR_USER,
  SERVICE_NAMES,
  aclsOf,
  allTopics,
  consumerGroupOf,
  type AclOperation,
  type ServiceName,
} from '@shop/contracts';
import { Stack, loadStackConfig, type StackConfig } from '@shop/devstack';
import { createTestDatabase, eventually, runScript } from '@shop/testkit';
import { runSecuredSaga, type SecuredSaga } from './support/secured-saga';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The secured local stack (SASL/SCRAM + StandardAuthorizer) with the same least-privilege ACLs
 * the cluster's KafkaUsers get: each service can do its job and nothing else.
 */
describe('Kafka with SCRAM users and ACLs', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-stack-'));
  fs.chmodSync(stateDir, 0o755);
  let config: StackConfig;
  let stack: Stack;

  const kafkaAs = (service: ServiceName, password?: string) => {
    const user = config.kafka.security!.users[service];
    return new Kafka({
      clientId: `acl-test-${service}`,
      brokers: stack.endpoints().bootstrapServers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      sasl: {
        mechanism: 'scram-sha-512',
        username: user.username,
        password: password ?? user.password,
      },
    });
  };

  /** The stack's administrator, for what a test arranges rather than checks. */
  const adminKafka = () =>
    new Kafka({
      clientId: 'acl-test-admin',
      brokers: stack.endpoints().bootstrapServers,
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: 'scram-sha-512', ...config.kafka.security!.admin },
    });

  const produceAs = async (service: ServiceName, topic: string) => {
    const producer = kafkaAs(service).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
    } finally {
      await producer.disconnect();
    }
  };

  const consumeAs = async (
    service: ServiceName,
    topic: string,
    groupId = consumerGroupOf(service),
  ) => {
    const consumer = kafkaAs(service).consumer({ groupId, retry: { retries: 0 } });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        consumer.run({ eachMessage: async () => undefined }).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  };

  beforeAll(async () => {
    config = loadStackConfig({
      ...process.env,
      KAFKA_SECURE: 'true',
      KAFKA_NODES: '1',
      KAFKA_PORT_BASE: '24092',
      PG_PORT: '24432',
      DEVSTACK_DIR: stateDir,
    });
    stack = new Stack(config);
    await stack.up();
  }, 180_000);

  afterAll(async () => {
    await stack.down();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  /** Whether the catalog's ACLs for `service` grant `operation` on a topic. */
  const granted = (service: ServiceName, operation: AclOperation, topic: string) =>
    aclsOf(service).some(
      (acl) =>
        acl.resource.type === 'topic' &&
        (acl.resource.patternType === 'literal'
          ? acl.resource.name === topic
          : topic.startsWith(acl.resource.name)) &&
        acl.operations.includes(operation),
    );
  const everyTopic = allTopics().map((t) => t.name);
  const refusal = /Not authorized to access (topics|group)|AUTHORIZATION_FAILED|group coordinator/i;

  // First, while no service has been a member of its group: a member that left uncleanly would
  // hold partitions of the read matrix's joins until its session ends.
  it.each(SERVICE_NAMES)(
    'lets %s write exactly the topics its ACLs name, on the real broker',
    async (service) => {
      const producer = kafkaAs(service).producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 0 },
      });
      await producer.connect();
      const outcome: Record<string, boolean> = {};
      try {
        for (const topic of everyTopic) {
          outcome[topic] = await producer
            .send({ topic, messages: [{ key: 'matrix', value: 'v' }] })
            .then(() => true)
            .catch((err: Error) => {
              if (!refusal.test(err.message)) throw err;
              return false;
            });
        }
      } finally {
        await producer.disconnect();
      }
      expect(outcome).toEqual(
        Object.fromEntries(everyTopic.map((t) => [t, granted(service, 'Write', t)])),
      );
      expect(Object.values(outcome).filter(Boolean).length).toBeGreaterThan(0);
    },
    120_000,
  );

  /** The first record of `topic` as `service` in `groupId`, or the broker's refusal. */
  const firstRecordAs = async (service: ServiceName, topic: string, groupId: string) => {
    // A member refused its fetch leaves without a LeaveGroup, and kafkajs would restart it in the
    // background: no restart, and sessions as short as the broker allows, so the next join of
    // the group does not wait for a stale member.
    const consumer = kafkaAs(service).consumer({
      groupId,
      retry: { retries: 0, restartOnFailure: async () => false },
      sessionTimeout: 6_000,
      rebalanceTimeout: 6_000,
      heartbeatInterval: 1_000,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      return await new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${service} got no record of ${topic} within 30 s`)),
          30_000,
        );
        consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
        consumer
          .run({
            eachMessage: async () => {
              clearTimeout(timer);
              resolve(true);
            },
          })
          .catch(reject);
      });
    } catch (err) {
      if (!refusal.test((err as Error).message)) throw err;
      return false;
    } finally {
      await consumer.disconnect();
    }
  };

  it.each(SERVICE_NAMES)(
    'lets %s read exactly the topics its ACLs name, in its own group and no other, on the real broker',
    async (service) => {
      // Every topic has a record to read (the write matrix is not relied on).
      const admin = adminKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await admin.connect();
      await admin.sendBatch({
        topicMessages: everyTopic.map((topic) => ({
          topic,
          messages: [{ key: 'seed', value: 'v' }],
        })),
      });
      await admin.disconnect();

      const outcome: Record<string, boolean> = {};
      for (const topic of everyTopic)
        outcome[topic] = await firstRecordAs(service, topic, consumerGroupOf(service));
      expect(outcome).toEqual(
        Object.fromEntries(everyTopic.map((t) => [t, granted(service, 'Read', t)])),
      );

      const readable = everyTopic.find((t) => granted(service, 'Read', t))!;
      for (const other of SERVICE_NAMES.filter((o) => o !== service))
        expect(await firstRecordAs(service, readable, consumerGroupOf(other))).toBe(false);
    },
    300_000,
  );

  it('runs all four services with their own users: an order is COMPLETED and the customer told', async () => {
    const drops: Array<() => Promise<void>> = [];
    let saga: SecuredSaga | undefined;
    try {
      saga = await runSecuredSaga({
        stack,
        config,
        adminToken: 'secure-admin-token-0123456',
        productId: 'SECURE-1',
        databaseUrlOf: async (service) => {
          const db = await createTestDatabase(`secure-${service.replace(/-service$/, '')}`);
          drops.push(db.drop);
          return db.url;
        },
      });
      const { notificationPort, orderId } = saga;
      await eventually(
        async () =>
          (
            (await (
              await fetch(`http://127.0.0.1:${notificationPort}/notifications?orderId=${orderId}`)
            ).json()) as { items: unknown[] }
          ).items.length >= 2,
        60_000,
        'the customer to be told the order was received and completed',
      );
    } finally {
      await saga?.stop();
      for (const drop of drops) await drop();
    }
  }, 240_000);

  it('lets each service read what it consumes in its own group and write what it produces', async () => {
    await consumeAs('inventory-service', 'order-created');
    await produceAs('inventory-service', 'stock-reserved');
    await produceAs('inventory-service', 'order-created-dlq');
    await produceAs('notification-service', 'order-created-dlq');
    await consumeAs('payment-service', 'payment-requested');
    await produceAs('payment-service', 'payment-refunded');
  });

  it.each([
    ['notification-service', 'payment-completed'],
    ['inventory-service', 'order-created'],
    ['order-service', 'stock-reserved'],
  ] as const)('refuses %s writing to %s', async (service, topic) => {
    await expect(produceAs(service, topic)).rejects.toThrow('Not authorized to access topics');
  });

  it('refuses inventory-service reading payment-requested, and joining another service group', async () => {
    await expect(consumeAs('inventory-service', 'payment-requested')).rejects.toThrow(
      /Not authorized to access topics|TOPIC_AUTHORIZATION_FAILED/,
    );
    // kafkajs reports the GROUP_AUTHORIZATION_FAILED answer to FindCoordinator this way; the same
    // user joins its own group above.
    await expect(
      consumeAs('inventory-service', 'order-created', consumerGroupOf('order-service')),
    ).rejects.toThrow(/group coordinator|GROUP_AUTHORIZATION_FAILED/i);
  });

  describe(`the operator user (${OPERATOR_USER})`, () => {
    const operatorEnv = () => ({
      KAFKA_BROKERS: stack.endpoints().bootstrapServers.join(','),
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: config.kafka.security!.operator.username,
      KAFKA_SASL_PASSWORD: config.kafka.security!.operator.password,
    });
    const tool = (script: 'dlq' | 'lag', args: string[]) =>
      runScript(path.join(ROOT, 'scripts', `${script}.ts`), args, operatorEnv());
    const operatorKafka = () =>
      new Kafka({
        clientId: 'acl-test-operator',
        brokers: stack.endpoints().bootstrapServers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
        sasl: { mechanism: 'scram-sha-512', ...config.kafka.security!.operator },
      });

    it('lists, shows and replays a dead letter with npm run dlq, and reads lag with npm run lag', async () => {
      // A dead letter as inventory-service writes one (it may write the DLQs of what it reads).
      const producer = kafkaAs('inventory-service').producer({
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      const [written] = await producer.send({
        topic: 'order-created-dlq',
        messages: [
          {
            key: 'order-op-1',
            value: JSON.stringify({ note: 'reviewed by the operator' }),
            headers: {
              'dlq.service': 'inventory-service',
              'dlq.original.topic': 'order-created',
              'dlq.original.partition': '0',
              'dlq.original.offset': '7',
              'dlq.error.class': 'RangeError',
              'dlq.error.message': 'price table missing',
              'dlq.error.timestamp': new Date().toISOString(),
            },
          },
        ],
      });
      await producer.disconnect();
      const at = [String(written!.partition), String(written!.baseOffset)];

      const list = await tool('dlq', ['list', '--topic', 'order-created-dlq']);
      expect(list.stderr).toBe('');
      expect(list.stdout).toContain(`order-created-dlq ${at.join(' ')}  `);
      const show = await tool('dlq', ['show', 'order-created-dlq', ...at]);
      expect(show.stderr).toBe('');
      expect(JSON.parse(show.stdout)).toMatchObject({
        key: 'order-op-1',
        value: { note: 'reviewed by the operator' },
      });
      const replay = await tool('dlq', ['replay', 'order-created-dlq', ...at]);
      expect(replay.stderr).toBe('');
      expect(replay.stdout).toContain('to inventory-service-retry-1');

      // The replayed record is where inventory-service's retry consumer reads it (read here as
      // the stack's administrator: the service's own group may still hold the first test's
      // members until their session ends).
      const consumer = adminKafka().consumer({ groupId: 'acl-test-replay-check' });
      await consumer.connect();
      const replayed = await new Promise<string>((resolve, reject) => {
        void consumer.subscribe({ topic: 'inventory-service-retry-1', fromBeginning: true });
        consumer
          .run({
            eachMessage: async ({ message }) => {
              if (message.key?.toString() === 'order-op-1')
                resolve(String(message.headers?.['replay.of']));
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      expect(replayed).toBe(`order-created-dlq/${at.join('/')}`);

      // A committed offset of a service's group for the operator to see (one no earlier test
      // joined: a group with members still leaving cannot have its offsets set).
      const group = consumerGroupOf('notification-service');
      const admin = adminKafka().admin();
      await admin.connect();
      await admin.setOffsets({
        groupId: group,
        topic: 'notification-service-retry-1',
        partitions: [{ partition: 0, offset: '0' }],
      });
      await admin.disconnect();
      const lag = await tool('lag', ['--group', group]);
      expect(lag.stderr).toBe('');
      expect(lag.stdout).toMatch(new RegExp(`${group} +notification-service-retry-1 +0 +0 `));
    }, 240_000);

    it.each([
      ['order-created', 'a primary topic'],
      ['payment-service-retry-2', 'a later retry tier'],
      ['order-created-dlq', 'a DLQ'],
    ])('refuses writing to %s (%s)', async (topic) => {
      const producer = operatorKafka().producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 0 },
      });
      await producer.connect();
      try {
        await expect(
          producer.send({ topic, messages: [{ key: 'k', value: 'v' }] }),
        ).rejects.toThrow('Not authorized to access topics');
      } finally {
        await producer.disconnect();
      }
    });

    it('refuses reading a primary topic, and joining a service group', async () => {
      // Its Describe (for lag) lets it join and see partitions; the first fetch is what is refused.
      await produceAs('order-service', 'order-created');
      const firstRecord = async (topic: string, groupId: string) => {
        const consumer = operatorKafka().consumer({ groupId, retry: { retries: 0 } });
        await consumer.connect();
        try {
          await consumer.subscribe({ topic, fromBeginning: true });
          return await new Promise<string>((resolve, reject) => {
            consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
            consumer
              .run({ eachMessage: async ({ message }) => resolve(String(message.key)) })
              .catch(reject);
          });
        } finally {
          await consumer.disconnect();
        }
      };
      await expect(firstRecord('order-created', 'tool-reader-acl-test-1')).rejects.toThrow(
        /Not authorized to access topics|TOPIC_AUTHORIZATION_FAILED/,
      );
      await expect(
        firstRecord('order-created-dlq', consumerGroupOf('inventory-service')),
      ).rejects.toThrow(/Not authorized to access group|GROUP_AUTHORIZATION_FAILED/i);
      // In a reader group of its own, the DLQ is readable.
      await expect(firstRecord('order-created-dlq', 'tool-reader-acl-test-2')).resolves.toEqual(
        expect.any(String),
      );
    });
  });

  it('refuses a wrong password', async () => {
    const admin = kafkaAs('order-service', 'not-the-password').admin();
    await expect(admin.connect()).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed|Authentication failed/i,
    );
  });
});
