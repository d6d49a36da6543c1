import http from 'node:http';
import type { Kafka } from 'kafkajs';
import { Gauge, Registry } from 'prom-client';
import { consumerLag } from '@shop/messaging';

/**
 * A stand-in for Kafka Exporter on this machine, exposing the metric names that Strimzi's Kafka
 * Exporter gives the cluster (kafka_brokers, kafka_consumergroup_lag, ...), so the generated
 * alerts and dashboard run unchanged against the local stack. Values are read at scrape time.
 */
export class KafkaMetricsExporter {
  private readonly registry = new Registry();
  private readonly collect: () => Promise<void>;
  private server: http.Server | undefined;

  constructor(private readonly kafka: Kafka) {
    const gauge = (name: string, help: string, labelNames: string[]) =>
      new Gauge({ name, help, labelNames, registers: [this.registry] });
    const brokers = gauge('kafka_brokers', 'Number of brokers in the cluster', []);
    const offset = gauge('kafka_topic_partition_current_offset', 'Log end offset of a partition', [
      'topic',
      'partition',
    ]);
    const underReplicated = gauge(
      'kafka_topic_partition_under_replicated_partition',
      '1 when the partition has fewer in-sync replicas than replicas',
      ['topic', 'partition'],
    );
    const lag = gauge(
      'kafka_consumergroup_lag',
      'Records a consumer group is behind, per partition',
      ['consumergroup', 'topic', 'partition'],
    );
    const lagSum = gauge(
      'kafka_consumergroup_lag_sum',
      'Records a consumer group is behind, per topic',
      ['consumergroup', 'topic'],
    );

    this.collect = async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        for (const g of [brokers, offset, underReplicated, lag, lagSum]) g.reset();
        brokers.set((await admin.describeCluster()).brokers.length);
        const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        for (const t of metadata) {
          for (const p of t.partitions) {
            underReplicated.set(
              { topic: t.name, partition: String(p.partitionId) },
              p.isr.length < p.replicas.length ? 1 : 0,
            );
          }
          for (const p of await admin.fetchTopicOffsets(t.name)) {
            offset.set({ topic: t.name, partition: String(p.partition) }, Number(p.high));
          }
        }
        const sums = new Map<string, number>();
        for (const row of await consumerLag(this.kafka)) {
          lag.set(
            { consumergroup: row.groupId, topic: row.topic, partition: String(row.partition) },
            Number(row.lag),
          );
          const key = `${row.groupId}\u0000${row.topic}`;
          sums.set(key, (sums.get(key) ?? 0) + Number(row.lag));
        }
        for (const [key, value] of sums) {
          const [consumergroup, topic] = key.split('\u0000') as [string, string];
          lagSum.set({ consumergroup, topic }, value);
        }
      } finally {
        await admin.disconnect();
      }
    };
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = http.createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      this.collect()
        .then(() => this.registry.metrics())
        .then(
          (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
          (err: Error) => res.writeHead(503).end(`kafka unreachable: ${err.message}\n`),
        );
    });
    const server = this.server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as { port: number }).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
