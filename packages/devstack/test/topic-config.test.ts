import { ConfigResourceTypes } from 'kafkajs';
import { TOPIC_RETENTION_MS, allTopics, retryTopicOf } from '@shop/contracts';
import { eventually, testKafka, testStack, withAdmin } from '@shop/testkit';
import { ensureTopics } from '../src/kafka/admin';

const DAY_MS = 24 * 60 * 60 * 1000;

/** retention.ms of each named topic, as the brokers report it. */
async function retentionOf(topics: readonly string[]): Promise<Record<string, string>> {
  return withAdmin(testKafka(), async (admin) => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
    });
    return Object.fromEntries(
      resources.map((r) => [
        r.resourceName,
        r.configEntries.find((e) => e.configName === 'retention.ms')!.configValue,
      ]),
    );
  });
}

describe('the local stack’s topics', () => {
  const catalog = allTopics();

  it('keep records as long as the catalog says: primary and retry 7 days, DLQs until deleted', async () => {
    const retention = await retentionOf(catalog.map((t) => t.name));
    expect(retention).toEqual(
      Object.fromEntries(catalog.map((t) => [t.name, String(TOPIC_RETENTION_MS[t.role])])),
    );
    expect(retention['order-created-dlq']).toBe('-1');
    expect(retention[retryTopicOf('payment-service', 1)]).toBe(String(7 * DAY_MS));
  });

  it('get the catalog’s retention back when a stack made before a change starts again', async () => {
    const topic = retryTopicOf('notification-service', 2);
    await withAdmin(testKafka(), (admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'retention.ms', value: String(DAY_MS) }],
          },
        ],
      }),
    );
    // Each broker applies a change from the metadata log a moment later: read until all have.
    const retentionBecomes = (value: number) =>
      eventually(
        async () => (await retentionOf([topic]))[topic] === String(value),
        10_000,
        `retention ${value}`,
      );
    await retentionBecomes(DAY_MS);
    await ensureTopics(testStack().config);
    await retentionBecomes(TOPIC_RETENTION_MS.retry);
  });
});
