import path from 'node:path';
import {
  CONSOLE_USER,
  OPERATOR_USER,
  SERVICE_NAMES,
  aclsOf,
  consoleAcls,
  operatorAcls,
  PRIMARY_TOPICS,
  allTopics,
  allows,
  consumerGroupOf,
  dlqTopicOf,
  parkingTopicOf,
  retryTopicOf,
  TOPIC_RETENTION_MS,
  type Acl,
} from '@shop/contracts';
import { CrdSchemas } from '../crd-schemas';
import { K8S_DIR } from '../main';
import { readManifests, type Manifest } from '../manifests';

const THIRD_PARTY = path.resolve(__dirname, '../../../third_party');
const strimzi = readManifests(path.join(K8S_DIR, 'strimzi'));
const strimziDev = readManifests(path.join(K8S_DIR, 'strimzi-dev'));
const monitoring = readManifests(path.join(K8S_DIR, 'monitoring'));

describe('generated Kubernetes resources', () => {
  const schemas = new CrdSchemas([
    path.join(THIRD_PARTY, 'crds/strimzi'),
    path.join(THIRD_PARTY, 'crds/prometheus-operator'),
  ]);

  it.each(
    [
      ...[...strimzi, ...monitoring].map((m) => ['', m] as const),
      ...strimziDev.map((m) => ['(dev) ', m] as const),
    ]
      .filter(([, m]) => m.kind !== 'ConfigMap')
      .map(([variant, m]) => [`${variant}${m.kind}/${m.metadata.name}`, m]),
  )('%s is valid against its CRD schema', (_, manifest) => {
    expect(schemas.validate(manifest)).toEqual([]);
  });

  it('catches a resource its CRD would refuse', () => {
    const kafka = strimzi.find((m) => m.kind === 'Kafka')!;
    const broken = {
      ...kafka,
      spec: { kafka: { listeners: [{ name: 'plain', port: 'ninety' }] } },
    };
    expect(schemas.validate(broken)).toEqual(
      expect.arrayContaining([expect.stringContaining("must have required property 'type'")]),
    );
    expect(schemas.validate({ ...kafka, apiVersion: 'kafka.strimzi.io/v0' })).toBeUndefined();
  });

  it('has one KafkaTopic per catalog topic, primary, retry and DLQ', () => {
    const topics = strimzi
      .filter((m) => m.kind === 'KafkaTopic')
      .map((m) => (m.spec as { topicName: string }).topicName);
    expect(topics.sort()).toEqual(
      allTopics()
        .map((t) => t.name)
        .sort(),
    );
  });

  it('keeps retry records a week and dead letters until deleted, as the catalog says', () => {
    const retention = Object.fromEntries(
      strimzi
        .filter((m) => m.kind === 'KafkaTopic')
        .map((m) => [
          m.metadata.name,
          (m.spec as { config: Record<string, unknown> }).config['retention.ms'],
        ]),
    );
    for (const t of allTopics())
      expect([t.name, retention[t.name]]).toEqual([t.name, TOPIC_RETENTION_MS[t.role]]);
    expect(retention['order-created-dlq']).toBe(-1);
    expect(retention[retryTopicOf('inventory-service', 3)]).toBe(7 * 24 * 3600 * 1000);
  });

  it('runs three KRaft nodes with RF 3 and min ISR 2, Kafka Exporter and the JMX exporter', () => {
    const pool = strimzi.find((m) => m.kind === 'KafkaNodePool')!;
    expect(pool.spec).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
    const kafka = strimzi.find((m) => m.kind === 'Kafka')!;
    expect(kafka.spec).toMatchObject({
      kafka: {
        version: '4.3.1',
        config: {
          'min.insync.replicas': 2,
          'default.replication.factor': 3,
          'auto.create.topics.enable': false,
        },
        metricsConfig: { type: 'jmxPrometheusExporter' },
      },
      kafkaExporter: {},
    });
  });
});

describe('the dev Kafka cluster (k8s/strimzi-dev)', () => {
  const pool = (ms: Manifest[]) => ms.find((m) => m.kind === 'KafkaNodePool')!.spec!;
  const kafka = (ms: Manifest[]) => ms.find((m) => m.kind === 'Kafka')!.spec!;

  it('keeps its data only in emptyDirs, which cannot outlive its pods', () => {
    expect(pool(strimziDev).storage).toMatchObject({
      type: 'jbod',
      volumes: [{ type: 'ephemeral', kraftMetadata: 'shared' }],
    });
    // The production-like cluster keeps its volumes when the resource is deleted.
    expect(pool(strimzi).storage).toMatchObject({
      volumes: [{ type: 'persistent-claim', deleteClaim: false }],
    });
  });

  it('is the same cluster as the production-like one apart from storage and sizes', () => {
    const { kafka: devKafka } = kafka(strimziDev) as { kafka: unknown };
    expect(devKafka).toEqual((kafka(strimzi) as { kafka: unknown }).kafka);
    expect(pool(strimziDev)).toMatchObject({ replicas: 3, roles: ['controller', 'broker'] });
  });

  it('gives each node a heap that fits its memory limit, requests equal to limits', () => {
    const { jvmOptions, resources } = pool(strimziDev) as {
      jvmOptions: Record<string, string>;
      resources: { requests: { memory: string }; limits: { memory: string } };
    };
    expect(jvmOptions['-Xms']).toBe(jvmOptions['-Xmx']);
    expect(resources.requests.memory).toBe(resources.limits.memory);
    const mi = (q: string) => parseInt(q, 10) * (q.endsWith('Gi') ? 1024 : 1);
    expect(mi(jvmOptions['-Xmx']!.replace('m', 'Mi'))).toBeLessThanOrEqual(
      mi(resources.limits.memory) / 2,
    );
  });

  it('leaves no KafkaTopic waiting on a finalizer when skaffold deletes it with the cluster', () => {
    expect(kafka(strimziDev)).toMatchObject({
      entityOperator: {
        template: {
          topicOperatorContainer: { env: [{ name: 'STRIMZI_USE_FINALIZERS', value: 'false' }] },
        },
      },
    });
  });
});

describe('KafkaUser ACLs', () => {
  const users = new Map(
    strimzi
      .filter((m) => m.kind === 'KafkaUser')
      .map((m) => [
        m.metadata.name,
        (m.spec as { authorization: { acls: Acl[] } }).authorization.acls,
      ]),
  );

  it('has one SCRAM user per service, one for the operator and one for the console, with the ACLs derived from the catalog', () => {
    expect([...users.keys()].sort()).toEqual(
      [...SERVICE_NAMES, OPERATOR_USER, CONSOLE_USER].sort(),
    );
    for (const service of SERVICE_NAMES) expect(users.get(service)).toEqual(aclsOf(service));
    expect(users.get(OPERATOR_USER)).toEqual(operatorAcls());
    expect(users.get(CONSOLE_USER)).toEqual(consoleAcls());
  });

  // The console against every topic and group, worked out from the topic specs alone: it reads
  // every topic a timeline follows, writes only where a redrive goes, sees the groups' offsets.
  /**
   * A tool's groups: it sees the consuming services' offsets but never joins or deletes their
   * groups, and reads with and deletes only its own throwaway reader group.
   */
  const toolGroupCases = (consumers: readonly string[], readerGroup: string) => [
    ...SERVICE_NAMES.flatMap((s) => [
      ['group', consumerGroupOf(s), 'Read', false] as const,
      ['group', consumerGroupOf(s), 'Describe', consumers.includes(s)] as const,
      ['group', consumerGroupOf(s), 'Delete', false] as const,
    ]),
    ['group', readerGroup, 'Read', true] as const,
    ['group', readerGroup, 'Delete', true] as const,
    ['group', 'another-group', 'Read', false] as const,
  ];

  const consoleMatrix = (() => {
    const consumers = SERVICE_NAMES.filter((s) =>
      PRIMARY_TOPICS.some((t) => t.consumers.includes(s)),
    );
    const redriveTargets = new Set(consumers.map((s) => retryTopicOf(s, 1)));
    const readerGroup = 'tool-reader-ops-console-0a1b2c3d';
    return [
      ...allTopics().flatMap(({ name }) => [
        ['topic', name, 'Read', true] as const,
        ['topic', name, 'Write', redriveTargets.has(name)] as const,
        ['topic', name, 'Delete', false] as const,
      ]),
      ...toolGroupCases(consumers, readerGroup),
    ];
  })();

  it(`lets the console do exactly its work, over all ${consoleMatrix.length} resource × operation cases`, () => {
    const wrong = consoleMatrix.filter(
      ([type, name, operation, expected]) =>
        allows(users.get(CONSOLE_USER)!, type, name, operation) !== expected,
    );
    expect(wrong).toEqual([]);
  });

  // The operator against every topic and group, worked out from the topic specs alone: it reads
  // the DLQs and parking topics, writes where a replay goes (the failing service's first retry
  // tier), sees offsets.
  const operatorMatrix = (() => {
    const consumers = SERVICE_NAMES.filter((s) =>
      PRIMARY_TOPICS.some((t) => t.consumers.includes(s)),
    );
    const dlqs = new Set(
      PRIMARY_TOPICS.flatMap((t) => [dlqTopicOf(t.name), parkingTopicOf(t.name)]),
    );
    const replayTargets = new Set(consumers.map((s) => retryTopicOf(s, 1)));
    const readerGroup = 'tool-reader-0a1b2c3d';
    return [
      ...allTopics().flatMap(({ name }) => [
        ['topic', name, 'Read', dlqs.has(name)] as const,
        ['topic', name, 'Write', replayTargets.has(name)] as const,
        ['topic', name, 'Describe', true] as const,
      ]),
      ...toolGroupCases(consumers, readerGroup),
    ];
  })();

  it(`lets the operator do exactly its work, over all ${operatorMatrix.length} resource × operation cases`, () => {
    const wrong = operatorMatrix.filter(
      ([type, name, operation, expected]) =>
        allows(users.get(OPERATOR_USER)!, type, name, operation) !== expected,
    );
    expect(wrong).toEqual([]);
  });

  // Every service against every topic and group the cluster has, with what it should be allowed
  // worked out here from the topic specs alone, not from aclsOf: the generated users must match.
  const matrix = SERVICE_NAMES.flatMap((service) => {
    const consumes = PRIMARY_TOPICS.filter((t) => t.consumers.includes(service));
    const mayRead = new Set([
      ...consumes.map((t) => t.name),
      ...(consumes.length > 0 ? [1, 2, 3].map((n) => retryTopicOf(service, n)) : []),
    ]);
    const mayWrite = new Set([
      ...PRIMARY_TOPICS.filter((t) => t.producer === service).map((t) => t.name),
      ...(consumes.length > 0 ? [1, 2, 3].map((n) => retryTopicOf(service, n)) : []),
      ...consumes.map((t) => dlqTopicOf(t.name)),
      ...consumes.map((t) => parkingTopicOf(t.name)),
    ]);
    return [
      ...allTopics().flatMap(({ name: topic }) => [
        [service, 'topic', topic, 'Read', mayRead.has(topic)] as const,
        [service, 'topic', topic, 'Write', mayWrite.has(topic)] as const,
      ]),
      ...SERVICE_NAMES.map(
        (owner) =>
          [
            service,
            'group',
            consumerGroupOf(owner),
            'Read',
            owner === service && consumes.length > 0,
          ] as const,
      ),
    ];
  });

  it(`allows exactly what each service needs, over all ${matrix.length} service × resource × operation cases`, () => {
    const wrong = matrix.filter(
      ([service, type, name, operation, expected]) =>
        allows(users.get(service)!, type, name, operation) !== expected,
    );
    expect(wrong).toEqual([]);
  });

  it.each([
    ['inventory-service', 'topic', 'order-created', 'Read'],
    ['inventory-service', 'topic', 'stock-reserved', 'Write'],
    ['inventory-service', 'topic', 'order-created-dlq', 'Write'],
    ['inventory-service', 'topic', retryTopicOf('inventory-service', 2), 'Write'],
    ['inventory-service', 'group', consumerGroupOf('inventory-service'), 'Read'],
    ['payment-service', 'topic', 'payment-requested', 'Read'],
    ['payment-service', 'topic', 'payment-refunded', 'Write'],
    ['notification-service', 'topic', 'payment-failed', 'Read'],
    ['order-service', 'topic', 'order-created', 'Write'],
  ] as const)('lets %s %s %s: %s', (service, type, name, operation) => {
    expect(allows(users.get(service)!, type, name, operation)).toBe(true);
  });

  it.each([
    ['notification-service', 'topic', 'payment-completed', 'Write'],
    ['inventory-service', 'topic', 'payment-requested', 'Read'],
    ['payment-service', 'topic', 'stock-reserved', 'Read'],
    ['order-service', 'topic', 'order-created', 'Read'],
    ['notification-service', 'topic', 'order-created', 'Write'],
    ['payment-service', 'topic', retryTopicOf('inventory-service', 1), 'Write'],
    ['order-service', 'group', consumerGroupOf('inventory-service'), 'Read'],
  ] as const)('does not let %s %s %s: %s', (service, type, name, operation) => {
    expect(allows(users.get(service)!, type, name, operation)).toBe(false);
  });
});
