import path from 'node:path';
import { z } from 'zod';
import { CONSOLE_USER, OPERATOR_USER, SERVICE_NAMES, type ServiceName } from '@shop/contracts';

const REPO_ROOT = path.resolve(__dirname, '../../..');

const EnvSchema = z.object({
  KAFKA_NODES: z.coerce
    .number()
    .int()
    .refine((n) => n === 1 || n === 3, 'KAFKA_NODES must be 1 or 3')
    .default(3),
  KAFKA_PORT_BASE: z.coerce.number().int().min(1024).max(60000).default(19092),
  KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mg]$/, 'KAFKA_HEAP looks like 512m or 1g')
    .default('512m'),
  PG_PORT: z.coerce.number().int().min(1024).max(65535).default(15432),
  /**
   * The address Kafka's client listeners and PostgreSQL listen on and advertise. Loopback unless
   * something outside this host's loopback must reach them: the pods of the local Kubernetes node
   * (`npm run test:k8s` runs the stack inside the node's network namespace, on its bridge address).
   */
  DEVSTACK_HOST: z.ipv4().default('127.0.0.1'),
  /** SASL/SCRAM listeners and ACLs, mirroring the cluster's KafkaUsers. */
  KAFKA_SECURE: z.stringbool().default(false),
  DEVSTACK_DIR: z.string().min(1).optional(),
  /**
   * Adds a second client listener per broker (at broker port + 200) that advertises port
   * KAFKA_PROXY_PORT_BASE + i: a network proxy in front of it (toxiproxy, for chaos runs) then
   * carries all of a client's traffic, metadata included. Plaintext stacks only.
   */
  KAFKA_PROXY_PORT_BASE: z.coerce.number().int().min(1024).max(65535).optional(),
  JAVA_HOME: z.string().min(1).optional(),
});

export interface KafkaNodeConfig {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly dir: string;
  /** The proxied listener, when the stack is put behind a network proxy. */
  readonly proxied?: { readonly listenerPort: number; readonly advertisedPort: number };
}

export interface StackConfig {
  readonly stateDir: string;
  /** Where clients reach Kafka and PostgreSQL (DEVSTACK_HOST). */
  readonly host: string;
  readonly kafka: {
    /** The cluster's data: its id and one folder per node. */
    readonly dir: string;
    readonly nodes: readonly KafkaNodeConfig[];
    readonly heap: string;
    readonly javaBin: string;
    /** SCRAM users and ACLs when set; plaintext and no authorization otherwise. */
    readonly security?: KafkaSecurity;
    readonly pomFile: string;
    readonly libDir: string;
    readonly replicationFactor: number;
    readonly minInsyncReplicas: number;
    readonly partitions: number;
  };
  readonly postgres: {
    readonly port: number;
    readonly dir: string;
    readonly user: string;
    readonly password: string;
    readonly databases: Readonly<Record<ServiceName, string>>;
  };
}

export interface ScramUser {
  readonly username: string;
  readonly password: string;
}

export interface KafkaSecurity {
  readonly mechanism: 'scram-sha-512';
  /** The super user the stack itself administers the cluster as. */
  readonly admin: ScramUser;
  readonly users: Readonly<Record<ServiceName, ScramUser>>;
  /** The operator tools' user (`kafka-shop-operator`), with the cluster's operator ACLs. */
  readonly operator: ScramUser;
  /** The operations console's user (`ops-console`), with the cluster's console ACLs. */
  readonly console: ScramUser;
}

/** Local, well-known credentials: this stack never leaves the machine. */
const LOCAL_SECURITY: KafkaSecurity = {
  mechanism: 'scram-sha-512',
  admin: { username: 'admin', password: 'admin-local-secret' },
  users: Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, { username: s, password: `${s}-local-secret` }]),
  ) as Record<ServiceName, ScramUser>,
  operator: { username: OPERATOR_USER, password: 'operator-local-secret' },
  console: { username: CONSOLE_USER, password: 'ops-console-local-secret' },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the stack's settings from the environment once; everything else takes the result. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid stack setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  // A secured cluster is formatted with SCRAM users, so it keeps its own state.
  const stateDir = path.resolve(
    e.DEVSTACK_DIR ?? path.join(REPO_ROOT, e.KAFKA_SECURE ? '.devstack-secure' : '.devstack'),
  );
  const kafkaDir = path.join(stateDir, 'kafka');
  const nodes = Array.from({ length: e.KAFKA_NODES }, (_, i) => ({
    id: i + 1,
    brokerPort: e.KAFKA_PORT_BASE + i,
    controllerPort: e.KAFKA_PORT_BASE + 100 + i,
    dir: path.join(kafkaDir, `node-${i + 1}`),
    proxied:
      e.KAFKA_PROXY_PORT_BASE === undefined
        ? undefined
        : {
            listenerPort: e.KAFKA_PORT_BASE + 200 + i,
            advertisedPort: e.KAFKA_PROXY_PORT_BASE + i,
          },
  }));
  if (e.KAFKA_PROXY_PORT_BASE !== undefined && e.KAFKA_SECURE) {
    throw new ConfigError('invalid stack setting KAFKA_PROXY_PORT_BASE: not with KAFKA_SECURE');
  }
  const replicas = Math.min(3, e.KAFKA_NODES);
  return {
    stateDir,
    host: e.DEVSTACK_HOST,
    kafka: {
      dir: kafkaDir,
      nodes,
      heap: e.KAFKA_HEAP,
      security: e.KAFKA_SECURE ? LOCAL_SECURITY : undefined,
      javaBin: e.JAVA_HOME ? path.join(e.JAVA_HOME, 'bin', 'java') : 'java',
      pomFile: path.join(REPO_ROOT, 'packages/devstack/kafka/pom.xml'),
      libDir: path.join(REPO_ROOT, 'packages/devstack/kafka/lib'),
      replicationFactor: replicas,
      minInsyncReplicas: replicas === 3 ? 2 : 1,
      partitions: 3,
    },
    postgres: {
      port: e.PG_PORT,
      dir: path.join(stateDir, 'postgres'),
      user: 'shop',
      password: 'shop',
      databases: Object.fromEntries(SERVICE_NAMES.map((s) => [s, s.replace(/-/g, '_')])) as Record<
        ServiceName,
        string
      >,
    },
  };
}

export function bootstrapServers(config: StackConfig): string[] {
  return config.kafka.nodes.map((n) => `${config.host}:${n.brokerPort}`);
}

export function databaseUrl(config: StackConfig, service: ServiceName): string {
  const { user, password, port, databases } = config.postgres;
  return `postgres://${user}:${password}@${config.host}:${port}/${databases[service]}`;
}
