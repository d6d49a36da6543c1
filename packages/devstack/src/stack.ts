import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { bootstrapServers, databaseUrl, type StackConfig } from './config';
import { StackError } from './errors';
import {
  ensureServiceAcls,
  ensureTopics,
  underReplicatedPartitions,
  untilDone,
  waitForBrokers,
  waitForFullIsr,
  warmUpGroupCoordinator,
} from './kafka/admin';
import { ensureKafkaJars } from './kafka/jars';
import { requireJava } from './kafka/java';
import { KafkaNode, newClusterId } from './kafka/node';
import { PostgresServer } from './postgres/server';
import { portFreedWithin } from './processes';

export interface StackEndpoints {
  readonly bootstrapServers: string[];
  readonly databaseUrls: Record<ServiceName, string>;
}

export interface UpResult extends StackEndpoints {
  /** Components this call started; empty when everything was already running. */
  readonly started: string[];
  readonly createdTopics: string[];
}

export interface ComponentStatus {
  readonly name: string;
  readonly pid?: number;
  readonly ports: number[];
  readonly log: string;
}

export interface StackStatus {
  readonly components: ComponentStatus[];
  readonly underReplicated?: string[];
}

const READY_TIMEOUT_MS = 120_000;
/**
 * A node of this stack that was just killed stops looking alive (its command line goes with its
 * memory) a moment before the kernel closes its sockets, so a busy port gets that moment.
 */
const PORT_RELEASE_MS = 5_000;

export class Stack {
  readonly kafkaNodes: KafkaNode[];
  readonly postgres: PostgresServer;

  constructor(
    readonly config: StackConfig,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.kafkaNodes = config.kafka.nodes.map((n) => new KafkaNode(n, config));
    this.postgres = new PostgresServer(config.postgres, config.host);
  }

  endpoints(): StackEndpoints {
    return {
      bootstrapServers: bootstrapServers(this.config),
      databaseUrls: Object.fromEntries(
        SERVICE_NAMES.map((s) => [s, databaseUrl(this.config, s)]),
      ) as Record<ServiceName, string>,
    };
  }

  /** Idempotent: starts what is not running, then waits until the whole stack is usable. */
  async up(onStarted: (component: string) => void = () => undefined): Promise<UpResult> {
    requireJava(this.config.kafka.javaBin);
    this.fetchJars();
    await this.checkPorts();

    const started: string[] = [];
    const clusterId = this.clusterId();
    const stopped = this.kafkaNodes.filter((n) => n.pid === undefined);
    const postgresStopped = this.postgres.pid === undefined;
    await Promise.all([
      ...stopped.map((n) => n.prepare(clusterId)),
      postgresStopped ? this.postgres.prepare() : Promise.resolve(),
    ]);
    for (const node of stopped) {
      node.start();
      started.push(`kafka-${node.node.id}`);
      onStarted(`kafka-${node.node.id}`);
    }
    if (postgresStopped) {
      await this.postgres.start();
      started.push('postgres');
      onStarted('postgres');
    }

    this.log('waiting for Kafka brokers and PostgreSQL ...');
    await Promise.all([
      waitForBrokers(this.config, READY_TIMEOUT_MS).catch((err: Error) => {
        throw new StackError(`${err.message}; see ${this.kafkaNodes[0]?.logFile}`);
      }),
      this.postgres.waitUntilAccepting(READY_TIMEOUT_MS),
    ]);
    // Each step waits or tries again within the start-up timeout; what still fails is one line.
    try {
      const createdTopics = await untilDone(
        'the catalog topics',
        () => ensureTopics(this.config),
        READY_TIMEOUT_MS,
      );
      await waitForFullIsr(this.config, READY_TIMEOUT_MS);
      await warmUpGroupCoordinator(this.config, READY_TIMEOUT_MS);
      await untilDone('the services ACLs', () => ensureServiceAcls(this.config), READY_TIMEOUT_MS);
      await this.postgres.ensureDatabases();
      return { ...this.endpoints(), started, createdTopics };
    } catch (err) {
      throw new StackError(
        `Kafka is not usable: ${(err as Error).message}; see ${this.kafkaNodes[0]?.logFile}`,
      );
    }
  }

  fetchJars(): void {
    ensureKafkaJars(this.config.kafka.pomFile, this.config.kafka.libDir, this.log);
  }

  /**
   * Stops the stack, or only the named components (as `up` reported them): a run interrupted
   * half-way stops what it started and leaves what was already running for its owner.
   */
  async down(only?: readonly string[]): Promise<string[]> {
    const wanted = (component: string) => only === undefined || only.includes(component);
    const nodes = this.kafkaNodes.filter((n) => wanted(`kafka-${n.node.id}`));
    const stopped = nodes.filter((n) => n.pid !== undefined).map((n) => `kafka-${n.node.id}`);
    await Promise.all(nodes.map((n) => n.stop()));
    if (wanted('postgres') && this.postgres.pid !== undefined) {
      await this.postgres.stop();
      stopped.push('postgres');
    }
    return stopped;
  }

  async reset(): Promise<void> {
    await this.down();
    fs.rmSync(this.config.stateDir, { recursive: true, force: true });
  }

  /** Stops the stack and deletes its Kafka and PostgreSQL data, leaving anything else in the state dir. */
  async wipeData(): Promise<void> {
    await this.down();
    fs.rmSync(this.config.kafka.dir, { recursive: true, force: true });
    fs.rmSync(this.config.postgres.dir, { recursive: true, force: true });
  }

  async status(): Promise<StackStatus> {
    const components: ComponentStatus[] = [
      ...this.kafkaNodes.map((n) => ({
        name: `kafka-${n.node.id}`,
        pid: n.pid,
        ports: [n.node.brokerPort, n.node.controllerPort],
        log: n.logFile,
      })),
      {
        name: 'postgres',
        pid: this.postgres.pid,
        ports: [this.config.postgres.port],
        log: path.join(this.config.postgres.dir, 'postgres.log'),
      },
    ];
    const anyKafka = components.some((c) => c.name.startsWith('kafka') && c.pid !== undefined);
    const underReplicated = anyKafka
      ? await underReplicatedPartitions(this.config).catch(() => undefined)
      : undefined;
    return { components, underReplicated };
  }

  private async checkPorts(): Promise<void> {
    const wanted: Array<[number, string]> = [];
    for (const n of this.kafkaNodes) {
      if (n.pid !== undefined) continue;
      wanted.push([n.node.brokerPort, `kafka-${n.node.id} broker`]);
      wanted.push([n.node.controllerPort, `kafka-${n.node.id} controller`]);
      if (n.node.proxied) wanted.push([n.node.proxied.listenerPort, `kafka-${n.node.id} proxied`]);
    }
    if (this.postgres.pid === undefined) wanted.push([this.config.postgres.port, 'postgres']);
    for (const [port, what] of wanted) {
      if (!(await portFreedWithin(port, PORT_RELEASE_MS))) {
        throw new StackError(
          `port ${port} (${what}) is already in use by another process: stop it, or move the stack with KAFKA_PORT_BASE / PG_PORT`,
        );
      }
    }
  }

  private clusterId(): string {
    const file = path.join(this.config.kafka.dir, 'cluster-id');
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      const id = newClusterId();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${id}\n`);
      return id;
    }
  }
}
