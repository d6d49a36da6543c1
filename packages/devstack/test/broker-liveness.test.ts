import { ConfigResourceTypes } from 'kafkajs';
import { testKafka, testStack } from '@shop/testkit';

/**
 * What the running brokers were told, not what a properties file says: a dead broker is fenced
 * (and its partitions get new leaders) after 1.5 s, not Kafka's default 9 s, and a dead active
 * controller is replaced after 1 s without its fetches, not 2 s.
 */
describe('the local brokers notice a dead peer in seconds', () => {
  it('run with a 1.5 s broker session, a heartbeat every 250 ms and a 1 s quorum fetch timeout', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: testStack().config.kafka.nodes.map((n) => ({
          type: ConfigResourceTypes.BROKER,
          name: String(n.id),
          configNames: [
            'broker.session.timeout.ms',
            'broker.heartbeat.interval.ms',
            'controller.quorum.fetch.timeout.ms',
            'controller.quorum.election.timeout.ms',
          ],
        })),
      });
      for (const resource of resources) {
        const value = (name: string) =>
          resource.configEntries.find((e) => e.configName === name)?.configValue;
        expect([resource.resourceName, value('broker.session.timeout.ms')]).toEqual([
          resource.resourceName,
          '1500',
        ]);
        expect(value('broker.heartbeat.interval.ms')).toBe('250');
        expect(value('controller.quorum.fetch.timeout.ms')).toBe('1000');
        expect(value('controller.quorum.election.timeout.ms')).toBe('500');
      }
      expect(resources).toHaveLength(testStack().config.kafka.nodes.length);
    } finally {
      await admin.disconnect();
    }
  });
});
