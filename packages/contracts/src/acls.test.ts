import {
  OPERATOR_USER,
  TOOL_READER_GROUP_PREFIX,
  aclsOf,
  allows,
  operatorAcls,
  type Acl,
  type AclOperation,
} from './acls';
import { SERVICE_NAMES, consumerGroupOf, type ServiceName } from './services';
import { PRIMARY_TOPICS, allTopics, dlqTopicOf, parkingTopicOf, retryTopicOf } from './topics';

/** Every right the ACLs grant, one `type name operation` line each, to compare as sets. */
function rights(acls: readonly Acl[]): string[] {
  return acls
    .flatMap((a) =>
      a.operations.map((op) => `${a.resource.type} ${a.resource.name} ${op}${suffix(a)}`),
    )
    .sort();
}

const suffix = (a: Acl) => (a.resource.patternType === 'prefix' ? ' (prefix)' : '');

const lines = (type: 'topic' | 'group', names: readonly string[], ops: AclOperation[]) =>
  names.flatMap((name) => ops.map((op) => `${type} ${name} ${op}`));

const resourcesOf = (acls: readonly Acl[]) =>
  acls.map((a) => `${a.resource.type} ${a.resource.name}`);

// What each service needs, worked out from the topic specs alone rather than from aclsOf.
function expectedRightsOf(service: ServiceName): string[] {
  const consumed = PRIMARY_TOPICS.filter((t) => t.consumers.includes(service)).map((t) => t.name);
  const produced = PRIMARY_TOPICS.filter((t) => t.producer === service).map((t) => t.name);
  const retries = [1, 2, 3].map((tier) => retryTopicOf(service, tier));
  return [
    ...lines('topic', consumed, ['Read', 'Describe']),
    ...lines('topic', retries, ['Read', 'Write', 'Describe']),
    ...lines('topic', produced, ['Write', 'Describe']),
    ...lines('topic', consumed.map(dlqTopicOf), ['Write', 'Describe']),
    ...lines('topic', consumed.map(parkingTopicOf), ['Write', 'Describe']),
    `group ${consumerGroupOf(service)} Read`,
  ].sort();
}

describe('aclsOf: least privilege per service', () => {
  it.each(SERVICE_NAMES)(
    '%s reads what it consumes and its own retry tiers, writes what it produces and the DLQs and parking topics of what it consumes, and uses its own group',
    (service) => {
      expect(rights(aclsOf(service))).toEqual(expectedRightsOf(service));
    },
  );

  it('names each resource once', () => {
    for (const service of SERVICE_NAMES) {
      const resources = resourcesOf(aclsOf(service));
      expect(new Set(resources).size).toBe(resources.length);
    }
  });

  it('never lets a service read another service’s retry topics or join its group', () => {
    const acls = aclsOf('payment-service');
    expect(allows(acls, 'topic', retryTopicOf('inventory-service', 1), 'Read')).toBe(false);
    expect(allows(acls, 'group', consumerGroupOf('inventory-service'), 'Read')).toBe(false);
    expect(allows(acls, 'topic', 'stock-reserved', 'Read')).toBe(false);
  });

  describe('for a service that consumes nothing', () => {
    // Every service of today's catalog consumes something; a pure producer must still get no
    // retry topics, DLQs or consumer group, so the catalog is narrowed for this case.
    function withProducerOnly<T>(run: (acls: typeof import('./acls')) => T): T {
      let result!: T;
      jest.isolateModules(() => {
        const actual = jest.requireActual<typeof import('./topics')>('./topics');
        jest.doMock('./topics', () => ({
          ...actual,
          consumedTopicsOf: (s: ServiceName) =>
            s === 'order-service' ? [] : actual.consumedTopicsOf(s),
        }));
        result = run(jest.requireActual<typeof import('./acls')>('./acls'));
      });
      jest.dontMock('./topics');
      return result;
    }

    it('grants only writes of what it produces', () => {
      const acls = withProducerOnly((m) => m.aclsOf('order-service'));
      const produced = PRIMARY_TOPICS.filter((t) => t.producer === 'order-service');
      expect(rights(acls)).toEqual(
        lines(
          'topic',
          produced.map((t) => t.name),
          ['Write', 'Describe'],
        ).sort(),
      );
    });

    it('is left out of the operator’s replay targets and group views', () => {
      const acls = withProducerOnly((m) => m.operatorAcls());
      const names = resourcesOf(acls);
      expect(names).not.toContain(`group ${consumerGroupOf('order-service')}`);
      expect(names.filter((n) => n.includes('order-service-retry'))).toEqual([]);
      expect(names).toContain(`group ${consumerGroupOf('payment-service')}`);
    });
  });
});

describe('operatorAcls: what npm run dlq and npm run lag need', () => {
  const consumers = SERVICE_NAMES.filter((s) =>
    PRIMARY_TOPICS.some((t) => t.consumers.includes(s)),
  );
  // Built in a hook, not at collection: a catalog that cannot build them fails these tests.
  let acls: Acl[];
  beforeAll(() => {
    acls = operatorAcls();
  });

  it('reads every DLQ and parking topic, writes only first retry tiers, and describes every other topic and the services’ groups', () => {
    const primaries = PRIMARY_TOPICS.map((t) => t.name);
    const laterTiers = consumers.flatMap((s) => [2, 3].map((tier) => retryTopicOf(s, tier)));
    expect(rights(acls)).toEqual(
      [
        ...lines('topic', primaries.map(dlqTopicOf), ['Read', 'Describe']),
        ...lines('topic', primaries.map(parkingTopicOf), ['Read', 'Describe']),
        ...lines(
          'topic',
          consumers.map((s) => retryTopicOf(s, 1)),
          ['Write', 'Describe'],
        ),
        ...lines('topic', primaries, ['Describe']),
        ...lines('topic', laterTiers, ['Describe']),
        ...lines('group', consumers.map(consumerGroupOf), ['Describe']),
        ...['Read', 'Describe', 'Delete'].map((op) => `group tool-reader- ${op} (prefix)`),
      ].sort(),
    );
  });

  it('names each resource once', () => {
    const resources = resourcesOf(acls);
    expect(new Set(resources).size).toBe(resources.length);
  });

  it('reads no primary or retry topic and joins no service group', () => {
    for (const { name, role } of allTopics()) {
      expect(allows(acls, 'topic', name, 'Read')).toBe(role === 'dlq' || role === 'parking');
    }
    for (const service of SERVICE_NAMES) {
      expect(allows(acls, 'group', consumerGroupOf(service), 'Read')).toBe(false);
      expect(allows(acls, 'group', consumerGroupOf(service), 'Delete')).toBe(false);
    }
  });

  it('reads in and deletes its own throwaway groups, whatever their suffix', () => {
    const readerGroup = `${TOOL_READER_GROUP_PREFIX}0a1b2c3d`;
    expect(allows(acls, 'group', readerGroup, 'Read')).toBe(true);
    expect(allows(acls, 'group', readerGroup, 'Delete')).toBe(true);
    expect(allows(acls, 'group', 'another-group', 'Read')).toBe(false);
  });

  it('is the KafkaUser the cluster and the operator tools agree on', () => {
    // Strimzi names the user's Secret after it; the tools Job mounts that Secret.
    expect(OPERATOR_USER).toBe('kafka-shop-operator');
    expect(TOOL_READER_GROUP_PREFIX).toBe('tool-reader-');
  });
});

describe('allows', () => {
  const acls: Acl[] = [
    { resource: { type: 'topic', name: 'orders', patternType: 'literal' }, operations: ['Read'] },
    { resource: { type: 'group', name: 'tmp-', patternType: 'prefix' }, operations: ['Delete'] },
  ];

  it('matches a literal resource by its whole name only', () => {
    expect(allows(acls, 'topic', 'orders', 'Read')).toBe(true);
    expect(allows(acls, 'topic', 'orders-dlq', 'Read')).toBe(false);
    expect(allows(acls, 'topic', 'order', 'Read')).toBe(false);
  });

  it('matches a prefix resource by the start of the name', () => {
    expect(allows(acls, 'group', 'tmp-123', 'Delete')).toBe(true);
    expect(allows(acls, 'group', '123-tmp-', 'Delete')).toBe(false);
  });

  it('grants only the listed operations, on the listed resource type', () => {
    expect(allows(acls, 'topic', 'orders', 'Write')).toBe(false);
    expect(allows(acls, 'group', 'orders', 'Read')).toBe(false);
    expect(allows(acls, 'topic', 'tmp-123', 'Delete')).toBe(false);
  });

  it('grants nothing when there is no ACL', () => {
    expect(allows([], 'topic', 'orders', 'Read')).toBe(false);
  });
});
