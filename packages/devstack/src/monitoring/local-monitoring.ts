import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Kafka } from 'kafkajs';
import { StackError } from '../errors';
import { portIsFree, waitFor } from '../processes';
import { KafkaMetricsExporter } from './kafka-metrics-exporter';

export interface ScrapeTarget {
  readonly service: string;
  /** host:port serving /metrics */
  readonly address: string;
}

export interface LocalMonitoringOptions {
  readonly dir: string;
  /** The generated PrometheusRule whose rule groups Prometheus loads. */
  readonly prometheusRuleFile: string;
  readonly prometheusPort: number;
  readonly exporterPort: number;
  /** Short intervals make tests quick; the default suits a person watching. */
  readonly scrapeIntervalSeconds: number;
}

/**
 * Prometheus (Debian's `prometheus` package) scraping the services and a Kafka metrics exporter,
 * with the alert rules generated for the cluster loaded as they are, on localhost.
 */
export class LocalMonitoring {
  private prometheus: ChildProcess | undefined;
  private exporter: KafkaMetricsExporter | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: LocalMonitoringOptions,
  ) {}

  get prometheusUrl(): string {
    return `http://127.0.0.1:${this.options.prometheusPort}`;
  }

  async start(targets: readonly ScrapeTarget[]): Promise<void> {
    const { dir, prometheusPort, exporterPort, scrapeIntervalSeconds } = this.options;
    if (!(await portIsFree(prometheusPort)))
      throw new StackError(`port ${prometheusPort} (prometheus) is already in use`);
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });

    this.exporter = new KafkaMetricsExporter(this.kafka);
    await this.exporter.listen(exporterPort);

    const rules = YAML.parse(fs.readFileSync(this.options.prometheusRuleFile, 'utf8')) as {
      spec: unknown;
    };
    fs.writeFileSync(path.join(dir, 'rules.yaml'), YAML.stringify(rules.spec));
    const interval = `${scrapeIntervalSeconds}s`;
    const config = {
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: [path.join(dir, 'rules.yaml')],
      scrape_configs: [
        {
          job_name: 'kafka-shop',
          static_configs: targets.map((t) => ({
            targets: [t.address],
            labels: { service: t.service },
          })),
        },
        {
          job_name: 'kafka-exporter',
          // A scrape asks the cluster about every topic and group: on a busy two-core machine
          // with a long-lived dev cluster that takes seconds, longer than a short global timeout.
          scrape_interval: `${Math.max(scrapeIntervalSeconds, 5)}s`,
          scrape_timeout: `${Math.max(scrapeIntervalSeconds, 5)}s`,
          static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(config));

    const log = fs.openSync(path.join(dir, 'prometheus.log'), 'a');
    try {
      this.prometheus = spawn(
        'prometheus',
        [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${prometheusPort}`,
          '--web.enable-lifecycle',
        ],
        { stdio: ['ignore', log, log] },
      );
    } finally {
      fs.closeSync(log);
    }
    const started = this.prometheus;
    started.once('error', () => undefined);
    await waitFor(
      'Prometheus to be ready',
      async () => {
        if (started.exitCode !== null || started.pid === undefined) {
          throw new StackError(
            `prometheus did not start (is Debian's prometheus package installed?); see ${dir}/prometheus.log`,
          );
        }
        const res = await fetch(`${this.prometheusUrl}/-/ready`);
        return res.ok ? true : undefined;
      },
      30_000,
    );
  }

  async stop(): Promise<void> {
    const prometheus = this.prometheus;
    if (prometheus && prometheus.exitCode === null) {
      await new Promise<void>((resolve) => {
        prometheus.once('exit', () => resolve());
        prometheus.kill('SIGTERM');
      });
    }
    await this.exporter?.close();
  }

  /** An instant query through Prometheus' HTTP API. */
  async query(
    expr: string,
  ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== 'success') throw new Error(`query failed: ${body.error}: ${expr}`);
    return body.data.result;
  }

  async alerts(): Promise<Array<{ labels: Record<string, string>; state: string }>> {
    const res = await fetch(`${this.prometheusUrl}/api/v1/alerts`);
    return (
      (await res.json()) as {
        data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
      }
    ).data.alerts;
  }
}
