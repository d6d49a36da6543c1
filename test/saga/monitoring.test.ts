import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DASHBOARD_ROWS, K8S_DIR, interpolate } from '@shop/cdk8s';
import { consumerGroupOf, SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { MESSAGE_STATUSES } from '@shop/observability';
import { LocalMonitoring } from '@shop/devstack';
import { createTestTopic, eventually, freePort, testKafka, withAdmin } from '@shop/testkit';
import { TestSystem, type ServiceKey } from '../support/system';

const SERVICE_GROUPS = new Set(SERVICE_NAMES.map(consumerGroupOf));
const isNumber = (sample: { value: [number, string] }) => Number.isFinite(Number(sample.value[1]));

/**
 * The generated alerts and dashboard, proven on live data: Prometheus scrapes the running
 * services and the local Kafka metrics exporter with the generated rules loaded.
 */
describe('monitoring on live data', () => {
  let system: TestSystem;
  let monitoring: LocalMonitoring;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-'));

  /** Alerts about this system; consumer groups other suites left behind are not its business. */
  const ourAlerts = async () =>
    (await monitoring.alerts()).filter(
      (a) => a.labels.consumergroup === undefined || SERVICE_GROUPS.has(a.labels.consumergroup),
    );

  beforeAll(async () => {
    system = await TestSystem.start();
    monitoring = new LocalMonitoring(testKafka(), {
      dir,
      prometheusRuleFile: path.join(K8S_DIR, 'monitoring/prometheus-rules.yaml'),
      prometheusPort: await freePort(),
      exporterPort: await freePort(),
      scrapeIntervalSeconds: 1,
    });
    const services: ServiceKey[] = ['order', 'inventory', 'payment', 'notification'];
    await monitoring.start(
      services.map((s) => ({ service: `${s}-service`, address: new URL(system.url(s, '/')).host })),
    );
  });
  afterAll(async () => {
    await monitoring?.stop();
    await system?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires no alert on a healthy run', async () => {
    const plenty = await system.addProduct(1_000);
    const scarce = await system.addProduct(2);
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        system.placeOrder(
          [{ productId: i % 10 === 0 ? scarce : plenty, quantity: i % 10 === 0 ? 5 : 1 }],
          `healthy-${i}`,
          i % 7 === 0 ? 'tok_declined' : 'tok_visa',
        ),
      ),
    );
    await Promise.all(
      ids.map((id) => system.waitForStatus(id, ['COMPLETED', 'CANCELLED'], 60_000)),
    );
    await eventually(
      async () => (await monitoring.query('up{job="kafka-shop"} == 1')).length === 4,
      30_000,
      'all four services scraped',
    );
    await eventually(
      async () => (await monitoring.query('kafka_brokers')).length === 1,
      30_000,
      'the Kafka exporter scraped',
    );
    // Several scrapes and rule evaluations of the traffic above.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await ourAlerts()).toEqual([]);
  });

  it('fires the matching alerts for poison records, retries and a lagging group', async () => {
    const kafka = testKafka();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 3; i++) {
      await producer.send({
        topic: 'order-created',
        messages: [{ key: `poison-${i}`, value: Buffer.from([0xff, 0x00, 0x7b]) }],
      });
    }
    const lagTopic = await createTestTopic({ prefix: 'lag-probe', partitions: 1 });
    for (let i = 0; i < 11; i++) {
      await producer.send({
        topic: lagTopic,
        messages: Array.from({ length: 100 }, (_, j) => ({ value: `r${i * 100 + j}` })),
      });
    }
    await producer.disconnect();
    const laggingGroup = `lagging-${lagTopic}`;
    await withAdmin(kafka, (admin) =>
      admin.setOffsets({
        groupId: laggingGroup,
        topic: lagTopic,
        partitions: [{ partition: 0, offset: '0' }],
      }),
    );

    const product = await system.addProduct(100);
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        system.placeOrder([{ productId: product, quantity: 1 }], `flaky-${i}`, 'tok_flaky'),
      ),
    );

    const active = (name: string, match: (labels: Record<string, string>) => boolean) => async () =>
      (await monitoring.alerts()).some(
        (a) =>
          a.labels.alertname === name && match(a.labels) && ['pending', 'firing'].includes(a.state),
      );
    await eventually(
      active(
        'KafkaMessagesDeadLettered',
        (l) => l.service === 'inventory-service' && l.topic === 'order-created',
      ),
      60_000,
      'the DLQ alert',
    );
    expect(
      (await monitoring.alerts()).find((a) => a.labels.alertname === 'KafkaMessagesDeadLettered')
        ?.state,
    ).toBe('firing');
    await eventually(
      active(
        'KafkaMessageErrorRate',
        (l) => l.service === 'payment-service' && l.topic === 'payment-requested',
      ),
      60_000,
      'the error-rate alert',
    );
    await eventually(
      active(
        'KafkaConsumerLag',
        (l) => l.consumergroup === laggingGroup && l.severity === 'warning',
      ),
      60_000,
      'the lag alert',
    );
    expect(
      (await monitoring.alerts()).some(
        (a) => a.labels.consumergroup === laggingGroup && a.labels.severity === 'critical',
      ),
    ).toBe(false);
  });

  it('answers every dashboard panel query with live data, for the services a reader picks', async () => {
    // As a reader would pick them: inventory-service dead-lettered the poison records above,
    // payment-service retried the flaky payments.
    const picked = ['inventory-service', 'payment-service'];
    const pickedGroups = picked.map((s) => consumerGroupOf(s as ServiceName));
    const problems: string[] = [];
    /**
     * The query's samples once some are numbers (NaN is what histogram_quantile and ratios answer
     * without traffic). A few scrapes' grace: a failed scrape on a busy machine empties a target's
     * series until the next one.
     */
    const answer = async (expr: string) => {
      let result: Awaited<ReturnType<LocalMonitoring['query']>> = [];
      await eventually(
        async () => (result = await monitoring.query(expr)).some(isNumber),
        15_000,
        expr,
      ).catch(() => problems.push(`no data: ${expr}`));
      return result;
    };
    for (const row of DASHBOARD_ROWS) {
      for (const panel of row.panels) {
        for (const q of panel.queries) {
          const result = await answer(interpolate(q.expr, { service: picked, topic: 'All' }));
          const strangers = result.filter(
            ({ metric }) =>
              (metric.service !== undefined && !picked.includes(metric.service)) ||
              (metric.consumergroup !== undefined && !pickedGroups.includes(metric.consumergroup)),
          );
          if (strangers.length > 0)
            problems.push(`not picked: ${panel.title}: ${JSON.stringify(strangers[0]!.metric)}`);
        }
      }
    }
    expect(problems).toEqual([]);

    const [byStatus] = DASHBOARD_ROWS.flatMap((r) => r.panels)
      .filter((p) => p.title === 'Records / min by status')
      .map((p) => p.queries[0]!.expr);
    const perMinute = new Map(
      (await answer(interpolate(byStatus!, { service: picked, topic: 'All' }))).map((r) => [
        r.metric.status,
        Number(r.value[1]),
      ]),
    );
    expect([...perMinute.keys()].sort()).toEqual([...MESSAGE_STATUSES].sort());
    for (const status of ['success', 'retry', 'dlq'])
      expect([status, perMinute.get(status)! > 0]).toEqual([status, true]);
  });
});
