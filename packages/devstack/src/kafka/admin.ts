import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  Kafka,
  ResourcePatternTypes,
  logLevel,
  type Admin,
} from 'kafkajs';
import {
  SERVICE_NAMES,
  TOPIC_RETENTION_MS,
  aclsOf,
  allTopics,
  consoleAcls,
  operatorAcls,
  type Acl,
  type TopicRole,
  type TopicToCreate,
} from '@shop/contracts';
import { bootstrapServers, type StackConfig } from '../config';
import { waitFor } from '../processes';

export async function withAdmin<T>(
  config: StackConfig,
  work: (admin: Admin) => Promise<T>,
  brokers: string[] = bootstrapServers(config),
): Promise<T> {
  const security = config.kafka.security;
  const kafka = new Kafka({
    clientId: 'devstack',
    brokers,
    sasl: security ? { mechanism: security.mechanism, ...security.admin } : undefined,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 2 },
  });
  return withKafkaAdmin(kafka, work);
}

/** Connects an admin client for one piece of work and always disconnects it. */
export async function withKafkaAdmin<T>(
  kafka: Kafka,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every broker answers on its own port and the cluster lists each of them there.
 * The cluster's metadata alone is not enough: a broker restarted moments after it stopped is
 * still listed under its previous registration until that one's session expires (the new one is
 * refused meanwhile with DuplicateBrokerRegistrationException), while its port refuses clients.
 */
export async function waitForBrokers(config: StackConfig, timeoutMs: number): Promise<void> {
  const each = bootstrapServers(config);
  await waitFor(
    `${each.length} Kafka broker(s) to answer on their own ports`,
    async () => {
      for (const broker of each) {
        const { brokers } = await withAdmin(config, (admin) => admin.describeCluster(), [broker]);
        if (brokers.length !== each.length) return undefined;
      }
      return true;
    },
    timeoutMs,
    500,
  );
}

/**
 * A set-up step against the cluster, tried again until it succeeds or `timeoutMs` has passed: a
 * broker that has only just started may still refuse a request the next moment would take.
 */
export function untilDone<T>(what: string, step: () => Promise<T>, timeoutMs: number): Promise<T> {
  return waitFor(what, async () => ({ value: await step() }), timeoutMs, 500).then((r) => r.value);
}

export interface TopicToMake {
  readonly topic: string;
  readonly numPartitions: number;
  readonly configEntries?: Array<{ name: string; value: string }>;
}

/**
 * Creates topics with the stack's replication and waits until every partition has a leader and a
 * full ISR. Not kafkajs' waitForLeaders: it asks a broker whose metadata may lag and fails with
 * UNKNOWN_TOPIC_OR_PARTITION; this waits with retries instead.
 */
export async function createTopicsAndWait(
  config: StackConfig,
  topics: readonly TopicToMake[],
): Promise<void> {
  if (topics.length === 0) return;
  await withAdmin(config, (admin) =>
    admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({ ...t, replicationFactor: config.kafka.replicationFactor })),
    }),
  );
  await waitForFullIsr(
    config,
    60_000,
    topics.map((t) => t.topic),
  );
}

/** The per-topic settings the catalog gives a topic of this role on this stack. */
function catalogTopicConfig(
  config: StackConfig,
  role: TopicRole,
): Array<{ name: string; value: string }> {
  return [
    { name: 'retention.ms', value: String(TOPIC_RETENTION_MS[role]) },
    { name: 'min.insync.replicas', value: String(config.kafka.minInsyncReplicas) },
  ];
}

/**
 * Creates every catalog topic that is missing (never relying on auto-creation), and brings the
 * settings of existing ones back to the catalog's, as Strimzi's topic operator does in the
 * cluster: a stack made before a retention change keeps no stale, shorter retention.
 */
export async function ensureTopics(config: StackConfig): Promise<string[]> {
  const existing = new Set(await withAdmin(config, (admin) => admin.listTopics()));
  const missing = allTopics().filter((t) => !existing.has(t.name));
  await createTopicsAndWait(
    config,
    missing.map((t) => ({
      topic: t.name,
      numPartitions: config.kafka.partitions,
      configEntries: catalogTopicConfig(config, t.role),
    })),
  );
  await alignTopicConfigs(
    config,
    allTopics().filter((t) => existing.has(t.name)),
  );
  return missing.map((t) => t.name);
}

/**
 * Sets the catalog's settings on every existing topic. Not only on those that look different: a
 * broker answers a describe from its copy of the metadata, which can lag a change just made
 * through another broker, and a stale "already right" left a shortened retention in place.
 */
async function alignTopicConfigs(config: StackConfig, topics: TopicToCreate[]): Promise<void> {
  if (topics.length === 0) return;
  await withAdmin(config, (admin) =>
    // alterConfigs replaces a topic's dynamic settings as a whole: the catalog's are all it has.
    admin.alterConfigs({
      validateOnly: false,
      resources: topics.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configEntries: catalogTopicConfig(config, t.role),
      })),
    }),
  );
}

/**
 * Makes the broker create __consumer_offsets now (asking for a group coordinator does) and waits
 * until it is fully replicated, so the first consumer group of a test or a service joins at once.
 */
export async function warmUpGroupCoordinator(
  config: StackConfig,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    'the group coordinator',
    () =>
      withAdmin(config, async (admin) => (await admin.describeGroups(['devstack-warm-up']), true)),
    timeoutMs,
    500,
  );
  await waitForFullIsr(config, timeoutMs, ['__consumer_offsets']);
}

/** Partitions whose in-sync replica set is smaller than their replica set. */
export async function underReplicatedPartitions(
  config: StackConfig,
  topics: string[] = allTopics().map((t) => t.name),
): Promise<string[]> {
  return withAdmin(config, async (admin) => {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    return metadata.flatMap((t) =>
      t.partitions
        .filter((p) => p.isr.length < p.replicas.length || p.leader < 0)
        .map((p) => `${t.name}-${p.partitionId}`),
    );
  });
}

export async function waitForFullIsr(
  config: StackConfig,
  timeoutMs: number,
  topics?: string[],
): Promise<void> {
  await waitFor(
    'every broker to be in the ISR of every partition',
    async () => ((await underReplicatedPartitions(config, topics)).length === 0 ? true : undefined),
    timeoutMs,
    500,
  );
}

/**
 * Grants each service's SCRAM user, the operator's and the console's exactly the ACLs the
 * cluster's KafkaUsers get (one source).
 */
export async function ensureServiceAcls(config: StackConfig): Promise<void> {
  const security = config.kafka.security;
  if (!security) return;
  const operation = {
    Read: AclOperationTypes.READ,
    Write: AclOperationTypes.WRITE,
    Describe: AclOperationTypes.DESCRIBE,
    Delete: AclOperationTypes.DELETE,
  };
  const grants: Array<[string, Acl[]]> = [
    ...SERVICE_NAMES.map((s): [string, Acl[]] => [security.users[s].username, aclsOf(s)]),
    [security.operator.username, operatorAcls()],
    [security.console.username, consoleAcls()],
  ];
  const acl = grants.flatMap(([username, acls]) =>
    acls.flatMap((a) =>
      a.operations.map((op) => ({
        resourceType: a.resource.type === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
        resourceName: a.resource.name,
        resourcePatternType:
          a.resource.patternType === 'prefix'
            ? ResourcePatternTypes.PREFIXED
            : ResourcePatternTypes.LITERAL,
        principal: `User:${username}`,
        host: '*',
        operation: operation[op],
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
  await withAdmin(config, (admin) => admin.createAcls({ acl }));
}
