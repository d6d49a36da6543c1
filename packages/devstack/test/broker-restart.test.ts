import { Kafka, logLevel } from 'kafkajs';
import { waitForFullIsr } from '@shop/devstack';
import { eventually, testStack } from '@shop/testkit';

const stack = testStack();
const multiNode = stack.config.kafka.nodes.length === 3;

(multiNode ? describe : describe.skip)(
  'a broker restarted while its last registration is live',
  () => {
    afterAll(async () => {
      await waitForFullIsr(stack.config, 120_000);
    });

    it('is waited for until it answers on its own port, and the stack comes up', async () => {
      const victim = stack.kafkaNodes[1]!;
      // SIGKILL: no controlled shutdown, so the cluster keeps listing the broker under its last
      // registration until that session expires, while the new process is refused
      // (DuplicateBrokerRegistrationException) and its port does not serve clients.
      victim.kill();
      await eventually(() => victim.pid === undefined, 10_000, 'the broker to die');

      // As `npm start` right after: up() starts the stopped broker at once and must not return, nor
      // fail, before the cluster is usable.
      await stack.up();

      const alone = new Kafka({
        clientId: 'broker-restart-test',
        brokers: [`${stack.config.host}:${victim.node.brokerPort}`],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 2_000,
        retry: { retries: 0 },
      }).admin();
      await alone.connect();
      try {
        const { brokers } = await alone.describeCluster();
        expect(brokers.map((b) => b.port).sort()).toEqual(
          stack.config.kafka.nodes.map((n) => n.brokerPort).sort(),
        );
      } finally {
        await alone.disconnect();
      }
    });
  },
);
