import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import type { ServiceName } from '@shop/contracts';
import { Stack, databaseUrl, loadStackConfig, waitForFullIsr } from '@shop/devstack';
import { stackEnv, type ChaosSettings } from './settings';
import { Toxiproxy, type Toxic } from './toxiproxy';

const POSTGRES_PROXY = 'postgres';
const kafkaProxyName = (nodeId: number) => `kafka-${nodeId}`;

/**
 * The chaos run's own Kafka cluster and PostgreSQL with toxiproxy in front of both: services
 * reach them only through the proxies (so network faults hit them), while the chaos tooling
 * itself talks to them directly (so it can always observe and reconcile).
 */
export class ChaosStack {
  readonly stack: Stack;
  readonly toxiproxy: Toxiproxy;

  constructor(private readonly settings: ChaosSettings) {
    this.stack = new Stack(loadStackConfig(stackEnv(settings)));
    fs.mkdirSync(settings.stateDir, { recursive: true });
    this.toxiproxy = new Toxiproxy(
      settings.ports.toxiproxyApi,
      path.join(settings.stateDir, 'toxiproxy.log'),
    );
  }

  /**
   * Starts from empty brokers and databases every time: a run's checks must not depend on the runs
   * before it (leftover orders had sold out the seeded stock, so a later run's probe order was
   * cancelled for insufficient stock and never completed).
   */
  async up(): Promise<void> {
    await this.stack.wipeData();
    await this.stack.up();
    await this.toxiproxy.start();
    for (const node of this.stack.config.kafka.nodes) {
      await this.toxiproxy.proxy(
        kafkaProxyName(node.id),
        node.proxied!.advertisedPort,
        node.proxied!.listenerPort,
      );
    }
    await this.toxiproxy.proxy(
      POSTGRES_PROXY,
      this.settings.ports.postgresProxy,
      this.settings.ports.postgres,
    );
  }

  async down(): Promise<void> {
    await this.toxiproxy.stop();
    await this.stack.down();
  }

  /** What a service is given: every connection through toxiproxy. */
  serviceBrokers(): string[] {
    return this.stack.config.kafka.nodes.map((n) => `127.0.0.1:${n.proxied!.advertisedPort}`);
  }

  serviceDatabaseUrl(service: ServiceName): string {
    return databaseUrl(this.stack.config, service).replace(
      `:${this.settings.ports.postgres}/`,
      `:${this.settings.ports.postgresProxy}/`,
    );
  }

  /** What the chaos tooling uses: straight to the brokers, never through a fault. */
  directKafka(clientId: string): Kafka {
    return new Kafka({
      clientId,
      brokers: this.stack.endpoints().bootstrapServers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 10, initialRetryTime: 500, maxRetryTime: 5_000 },
    });
  }

  directDatabaseUrl(service: ServiceName): string {
    return databaseUrl(this.stack.config, service);
  }

  async poisonNetwork(
    toxics: readonly Toxic[],
    targets: 'kafka' | 'postgres' | 'both',
  ): Promise<number> {
    const proxies = [
      ...(targets !== 'postgres'
        ? this.stack.config.kafka.nodes.map((n) => kafkaProxyName(n.id))
        : []),
      ...(targets !== 'kafka' ? [POSTGRES_PROXY] : []),
    ];
    let injected = 0;
    for (const proxy of proxies) {
      for (const [i, toxic] of toxics.entries()) {
        await this.toxiproxy.addToxic(proxy, `${toxic.type}-${i}`, toxic);
        injected++;
      }
    }
    return injected;
  }

  async healNetwork(): Promise<void> {
    await this.toxiproxy.heal();
  }

  /**
   * The node that currently leads the KRaft metadata quorum (the active controller). kafkajs cannot
   * ask (its describeCluster names any broker in KRaft), so Kafka's own quorum tool does.
   */
  async activeController(): Promise<number> {
    const config = this.stack.config.kafka;
    const controllers = config.nodes.map((n) => `127.0.0.1:${n.controllerPort}`).join(',');
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        config.javaBin,
        [
          '-cp',
          `${config.libDir}/*`,
          'org.apache.kafka.tools.MetadataQuorumCommand',
          '--bootstrap-controller',
          controllers,
          'describe',
          '--status',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`quorum tool failed: ${text.trim()}`)),
      );
    });
    const leader = /LeaderId:\s+(\d+)/.exec(output);
    if (!leader) throw new Error(`no LeaderId in the quorum status: ${output.trim()}`);
    return Number(leader[1]);
  }

  killBroker(nodeId: number): void {
    this.node(nodeId).kill();
  }

  /** Restarts a killed broker and waits until it is back in the ISR of every partition. */
  async restartBroker(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    await new Promise((r) => setTimeout(r, 300));
    if (node.pid === undefined) node.start();
    await waitForFullIsr(this.stack.config, 180_000);
  }

  /** Whatever a fault left broken is mended: network healed, every broker and PostgreSQL running. */
  async healAll(): Promise<void> {
    await this.healNetwork();
    if (this.stack.postgres.pid === undefined) {
      await this.stack.postgres.start();
      await this.stack.postgres.waitUntilAccepting(60_000);
    }
    const dead = this.stack.kafkaNodes.filter((n) => n.pid === undefined);
    for (const node of dead) node.start();
    if (dead.length > 0) await waitForFullIsr(this.stack.config, 180_000);
  }

  async restartPostgres(): Promise<void> {
    await this.stack.postgres.stop();
    await this.stack.postgres.start();
    await this.stack.postgres.waitUntilAccepting(60_000);
  }

  /** Terminates every session of the services' databases, as a failover or a firewall would. */
  async cutDatabaseConnections(): Promise<number> {
    const client = new Client({ connectionString: this.directDatabaseUrl('order-service') });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
         WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
        [Object.values(this.stack.config.postgres.databases)],
      );
      return Number(rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  }

  private node(nodeId: number) {
    const node = this.stack.kafkaNodes.find((n) => n.node.id === nodeId);
    if (!node) throw new Error(`no Kafka node ${nodeId}`);
    return node;
  }
}
