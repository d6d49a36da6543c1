import { Registry } from 'prom-client';
import { MessagingMetrics } from '@shop/messaging';
import { createTestTopic, testKafka } from '@shop/testkit';

/** The benchmark reads broker round trips per order from this counter (bench/saga/server-counters.ts). */
describe('kafka_client_requests_total', () => {
  it('counts the requests of the clients made after countRequestsOf, by API', async () => {
    const registry = new Registry();
    const metrics = MessagingMetrics.for(registry);
    const kafka = testKafka();
    metrics.countRequestsOf(kafka);
    const topic = await createTestTopic({ prefix: 'requests', partitions: 1 });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }] });
    await producer.send({ topic, messages: [{ value: 'b' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.fetchTopicOffsets(topic);
    await admin.disconnect();

    const counts = Object.fromEntries(
      (await metrics.kafkaRequests.get()).values.map((v) => [v.labels.api, v.value]),
    );
    expect(counts.Produce).toBe(2);
    expect(counts.ListOffsets).toBeGreaterThanOrEqual(1);
    expect(counts.Metadata).toBeGreaterThanOrEqual(1);
  });
});
