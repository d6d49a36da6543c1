import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { KafkaNodeConfig, StackConfig } from '../config';
import { StackError } from '../errors';
import {
  runToEnd,
  runningPid,
  startDetached,
  stopProcess,
  type ManagedProcess,
} from '../processes';

/** One KRaft node: a combined broker and controller in its own JVM. */
export class KafkaNode {
  readonly propertiesFile: string;
  readonly logFile: string;
  private readonly process: ManagedProcess;

  constructor(
    readonly node: KafkaNodeConfig,
    private readonly config: StackConfig,
  ) {
    this.propertiesFile = path.join(node.dir, 'server.properties');
    this.logFile = path.join(node.dir, 'server.log');
    this.process = { pidFile: path.join(node.dir, 'pid'), marker: this.propertiesFile };
  }

  get pid(): number | undefined {
    return runningPid(this.process);
  }

  /** Writes this node's configuration and formats its storage, unless already formatted. */
  async prepare(clusterId: string): Promise<void> {
    fs.mkdirSync(this.dataDir, { recursive: true });
    fs.writeFileSync(this.propertiesFile, this.properties());
    fs.writeFileSync(this.log4jFile, log4jConfig(this.logFile));
    if (fs.existsSync(path.join(this.dataDir, 'meta.properties'))) return;
    const standalone = this.config.kafka.nodes.length === 1 ? ['--standalone'] : [];
    // SCRAM credentials are written into the metadata log at format time.
    const security = this.config.kafka.security;
    const scram = security
      ? [
          security.admin,
          ...Object.values(security.users),
          security.operator,
          security.console,
        ].flatMap((u) => [
          '--add-scram',
          `SCRAM-SHA-512=[name=${u.username},password=${u.password}]`,
        ])
      : [];
    await this.runTool('kafka.tools.StorageTool', [
      'format',
      '-t',
      clusterId,
      '-c',
      this.propertiesFile,
      ...standalone,
      ...scram,
    ]);
  }

  start(): number {
    const running = this.pid;
    if (running !== undefined) return running;
    return startDetached(
      this.config.kafka.javaBin,
      [
        `-Xms${this.config.kafka.heap}`,
        `-Xmx${this.config.kafka.heap}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${this.log4jFile}`,
        '-cp',
        this.classpath,
        'kafka.Kafka',
        this.propertiesFile,
      ],
      path.join(this.node.dir, 'stdout.log'),
      this.process.pidFile,
    );
  }

  async stop(): Promise<void> {
    const pid = this.pid;
    if (pid !== undefined) await stopProcess(pid);
    fs.rmSync(this.process.pidFile, { force: true });
  }

  /** SIGKILL, as a crash would; for failure tests. */
  kill(): void {
    const pid = this.pid;
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }

  private get dataDir(): string {
    return path.join(this.node.dir, 'data');
  }

  private get log4jFile(): string {
    return path.join(this.node.dir, 'log4j2.properties');
  }

  private get classpath(): string {
    return `${this.config.kafka.libDir}/*`;
  }

  private properties(): string {
    const { kafka } = this.config;
    const voters = kafka.nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
    const quorum: Record<string, string> =
      kafka.nodes.length === 1
        ? { 'controller.quorum.bootstrap.servers': `127.0.0.1:${this.node.controllerPort}` }
        : { 'controller.quorum.voters': voters };
    const security = kafka.security;
    const client = security ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
    const secured: Record<string, string> = security
      ? {
          'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
          'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
          'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${security.admin.username}" password="${security.admin.password}";`,
          'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
          // The controller listener stays plaintext on loopback; its peers authenticate as ANONYMOUS.
          'super.users': `User:${security.admin.username};User:ANONYMOUS`,
          'allow.everyone.if.no.acl.found': 'false',
        }
      : {};
    // Clients of the proxied listener learn the proxy's ports from metadata, so every connection
    // they open (not only the bootstrap one) passes through the proxy.
    const proxied = this.node.proxied;
    const proxiedListener = proxied ? `,PROXIED://127.0.0.1:${proxied.listenerPort}` : '';
    const proxiedAdvertised = proxied ? `,PROXIED://127.0.0.1:${proxied.advertisedPort}` : '';
    const settings: Record<string, string | number | boolean> = {
      'process.roles': 'broker,controller',
      'node.id': this.node.id,
      ...quorum,
      listeners: `${client}://${this.config.host}:${this.node.brokerPort},CONTROLLER://127.0.0.1:${this.node.controllerPort}${proxiedListener}`,
      'advertised.listeners': `${client}://${this.config.host}:${this.node.brokerPort}${proxiedAdvertised}`,
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': client,
      'listener.security.protocol.map': `${client}:${client},CONTROLLER:PLAINTEXT${proxied ? ',PROXIED:PLAINTEXT' : ''}`,
      ...secured,
      'log.dirs': this.dataDir,
      'num.partitions': kafka.partitions,
      'default.replication.factor': kafka.replicationFactor,
      'min.insync.replicas': kafka.minInsyncReplicas,
      'offsets.topic.replication.factor': kafka.replicationFactor,
      'transaction.state.log.replication.factor': kafka.replicationFactor,
      'transaction.state.log.min.isr': kafka.minInsyncReplicas,
      'auto.create.topics.enable': false,
      // A fresh group should not wait 3 s for more members on a laptop.
      'group.initial.rebalance.delay.ms': 0,
      // A broker that died without a word keeps leading its partitions until the active
      // controller fences it: 9 s by default, and every write to those partitions waits that
      // long. Here 1.5 s, with a heartbeat every 250 ms; and a controller that died is replaced
      // after 1 s without its fetches (default 2 s), so the new one fences its broker about
      // 2.5 s after the kill instead of 5.3 s (chaos run, issue 21). The cost: a broker starved
      // of CPU for 1.5 s (a long GC pause, an overloaded laptop) is fenced too, and its
      // partitions change leader until its next heartbeat. Strimzi does not let a Kafka resource
      // set broker.* options, so a cluster there keeps the 9 s (docs/reliability.md).
      'broker.session.timeout.ms': 1_500,
      'broker.heartbeat.interval.ms': 250,
      'controller.quorum.fetch.timeout.ms': 1_000,
      'controller.quorum.election.timeout.ms': 500,
      'log.retention.hours': 168,
      'log.segment.bytes': 64 * 1024 * 1024,
    };
    return (
      '# Generated by packages/devstack; edits are overwritten on the next `up`.\n' +
      Object.entries(settings)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') +
      '\n'
    );
  }

  private async runTool(mainClass: string, args: string[]): Promise<string> {
    const { code, output } = await runToEnd(this.config.kafka.javaBin, [
      '-cp',
      this.classpath,
      mainClass,
      ...args,
    ]);
    if (code !== 0)
      throw new StackError(`${mainClass} failed for node ${this.node.id}: ${output.trim()}`);
    return output;
  }
}

/** A KRaft cluster id: 16 random bytes in URL-safe base64, as Kafka's Uuid prints it. */
export function newClusterId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function log4jConfig(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = RollingFile',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    `appender.file.filePattern = ${logFile}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    '',
  ].join('\n');
}
