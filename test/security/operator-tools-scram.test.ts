import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { SERVICE_NAMES } from '@shop/contracts';
import {
  OPS_CONSOLE,
  Stack,
  databaseUrl,
  loadStackConfig,
  serviceEnv,
  type StackConfig,
} from '@shop/devstack';
import { loadConsoleConfig, startOpsConsole } from '@shop/ops-console';
import { createTestDatabase, eventually, runScript } from '@shop/testkit';
import { ConsoleClient } from '../../services/ops-console/test/support/console-client';
import { runSecuredSaga, type SecuredSaga } from './support/secured-saga';

const ROOT = path.resolve(__dirname, '../..');
const ADMIN_TOKEN = 'scram-console-admin-token-0123';

/**
 * `npm run dlq`, `lag` and `reconcile` and the operations console against the local stack's
 * secured mode (SASL/SCRAM, StandardAuthorizer, the cluster's ACLs), each with the services' own
 * settings (KAFKA_SASL_*), and each refused clearly with a wrong password. The console connects as
 * the stack's own ops-console user (what `npm start -- --secure` gives it), which has the ACLs the
 * cluster's KafkaUser ops-console gets: it reads the main topics and writes none.
 */
describe('the operator tools and the console over SCRAM', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scram-tools-'));
  fs.chmodSync(stateDir, 0o755);
  const stackEnv = {
    KAFKA_SECURE: 'true',
    KAFKA_NODES: '1',
    // Beside the integration stack and kafka-acls.test.ts's secured one.
    KAFKA_PORT_BASE: '27300',
    PG_PORT: '27532',
    DEVSTACK_DIR: stateDir,
  };
  let config: StackConfig;
  let stack: Stack;
  let saga: SecuredSaga | undefined;
  const drops: Array<() => Promise<void>> = [];
  let orderPort = 0;
  let orderId = '';

  const brokers = () => stack.endpoints().bootstrapServers;
  /** The four services as their own users on the stack's own databases (reconcile reads them). */
  async function startServices(): Promise<void> {
    saga = await runSecuredSaga({
      stack,
      config,
      adminToken: ADMIN_TOKEN,
      productId: 'SCRAM-1',
      databaseUrlOf: (service) => databaseUrl(config, service),
    });
    orderPort = saga.orderPort;
    orderId = saga.orderId;
  }

  /** A dead letter as inventory-service writes one (it may write the DLQs of what it reads). */
  async function deadLetter(): Promise<void> {
    const producer = new Kafka({
      clientId: 'scram-tools-test-inventory',
      brokers: brokers(),
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: 'scram-sha-512', ...config.kafka.security!.users['inventory-service'] },
    }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: 'order-created-dlq',
      messages: [
        {
          key: orderId,
          value: JSON.stringify({ note: 'seen through SCRAM' }),
          headers: {
            'dlq.service': 'inventory-service',
            'dlq.original.topic': 'order-created',
            'dlq.original.partition': '0',
            'dlq.original.offset': '7',
            'dlq.error.class': 'ScramProbeError',
            'dlq.error.message': 'written for the SCRAM tools test',
            'dlq.error.timestamp': new Date().toISOString(),
          },
        },
      ],
    });
    await producer.disconnect();
  }

  beforeAll(async () => {
    config = loadStackConfig({ ...process.env, ...stackEnv });
    stack = new Stack(config);
    await stack.up();
    await startServices();
    await deadLetter();
  }, 300_000);

  afterAll(async () => {
    await saga?.stop();
    for (const drop of drops) await drop();
    await stack?.down();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  // The local stack's settings, and the services' variable names for who the tool connects as.
  const asOperator = (password?: string) => ({
    ...stackEnv,
    KAFKA_BROKERS: brokers().join(','),
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: config.kafka.security!.operator.username,
    KAFKA_SASL_PASSWORD: password ?? config.kafka.security!.operator.password,
  });
  const tool = (script: 'dlq' | 'lag' | 'reconcile', args: string[], env: Record<string, string>) =>
    runScript(path.join(ROOT, 'scripts', `${script}.ts`), args, env);

  it('lists dead letters, reads lag and reconciles as the operator', async () => {
    const list = await tool('dlq', ['list', '--topic', 'order-created-dlq'], asOperator());
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain('ScramProbeError');
    expect(list.code).toBe(0);

    const lag = await tool('lag', [], asOperator());
    expect(lag.stderr).toBe('');
    expect(lag.stdout).toContain('inventory-service');
    expect(lag.code).toBe(0);

    const reconcile = await tool('reconcile', [], asOperator());
    expect(reconcile.stderr).toBe('');
    expect(reconcile.stdout).toContain('orders: COMPLETED 1');
    expect(reconcile.stdout).toContain('dead letters: order-created-dlq 1');
  }, 120_000);

  it.each([
    ['dlq', ['list']],
    ['lag', []],
    ['reconcile', []],
  ] as const)(
    'npm run %s says the credentials were refused, and exits 1',
    async (script, args) => {
      const run = await tool(script, [...args], asOperator('not-the-password'));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `${script}: Kafka at ${brokers().join(',')} refused the credentials of kafka-shop-operator (check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD)`,
      );
    },
    60_000,
  );

  it('npm run dlq refuses half a SASL setting before connecting, as the services do', async () => {
    const { KAFKA_SASL_PASSWORD: _, ...half } = asOperator();
    const run = await tool('dlq', ['list'], half);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together',
    );
  });

  /** The console as `npm start` wires it to a secured stack; a wrong password when given one. */
  const consoleEnv = async (password?: string) => {
    const db = await createTestDatabase('scram-console');
    drops.push(db.drop);
    const security = config.kafka.security!;
    return loadConsoleConfig(
      serviceEnv(OPS_CONSOLE, {
        bootstrapServers: brokers(),
        databaseUrl: db.url,
        httpPort: 0,
        logLevel: 'fatal',
        adminToken: ADMIN_TOKEN,
        servicePorts: { 'order-service': orderPort },
        kafkaSecurity:
          password === undefined
            ? security
            : { ...security, console: { ...security.console, password } },
      }),
    );
  };

  it("may not write a main topic as the stack's console user", async () => {
    const producer = new Kafka({
      clientId: 'scram-tools-test-console',
      brokers: brokers(),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      sasl: { mechanism: 'scram-sha-512', ...config.kafka.security!.console },
    }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: 'order-created', messages: [{ key: orderId, value: '{}' }] }),
      ).rejects.toThrow(/not authorized/i);
    } finally {
      await producer.disconnect();
    }
  }, 60_000);

  it('serves the dead letters, an order timeline and lag as its own user', async () => {
    const running = await startOpsConsole(await consoleEnv());
    try {
      const browser = new ConsoleClient(`http://127.0.0.1:${running.port}`);
      await browser.signIn('sam', ADMIN_TOKEN);
      await eventually(
        async () => (await browser.get('/dead-letters')).body.includes('ScramProbeError'),
        30_000,
        'the dead letter on the console page',
      );
      // Records of primary topics, which the operator's user could not read.
      const timeline = await browser.get(`/orders/${orderId}`);
      expect(timeline.status).toBe(200);
      expect(timeline.body).toContain('order-created');
      expect(timeline.body).toContain('payment-completed');
      const health = await browser.get('/status');
      expect(health.status).toBe(200);
      for (const service of SERVICE_NAMES.filter((s) => s !== 'order-service'))
        expect(health.body).toContain(service);
    } finally {
      await running.stop();
    }
  }, 120_000);

  it('does not start with a wrong password, and says Kafka refused it', async () => {
    await expect(startOpsConsole(await consoleEnv('not-the-password'))).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed/,
    );
  }, 60_000);
});
