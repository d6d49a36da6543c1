import { ConfigResourceTypes } from 'kafkajs';
import { testKafka, testStack } from '@shop/testkit';

/**
 * What the running brokers were told, not what a properties file says: a dead broker is fenced
 * (and its partitions get new leaders) after 3 s, not Kafka's default 9 s.
 */
describe('the local brokers notice a dead peer in seconds', () => {
  it('run with a 3 s broker session and a heartbeat every 0.5 s', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: testStack().config.kafka.nodes.map((n) => ({
          type: ConfigResourceTypes.BROKER,
          name: String(n.id),
          configNames: ['broker.session.timeout.ms', 'broker.heartbeat.interval.ms'],
        })),
      });
      for (const resource of resources) {
        const value = (name: string) =>
          resource.configEntries.find((e) => e.configName === name)?.configValue;
        expect([resource.resourceName, value('broker.session.timeout.ms')]).toEqual([
          resource.resourceName,
          '3000',
        ]);
        expect(value('broker.heartbeat.interval.ms')).toBe('500');
      }
      expect(resources).toHaveLength(testStack().config.kafka.nodes.length);
    } finally {
      await admin.disconnect();
    }
  });
});
