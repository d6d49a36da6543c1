import { SERVICE_NAMES, consumerGroupOf, type ServiceName } from './services';
import {
  PRIMARY_TOPICS,
  RETRY_TIERS,
  allTopics,
  consumedTopicsOf,
  dlqTopicOf,
  parkingTopicOf,
  producedTopicsOf,
  retryTopicOf,
} from './topics';

export type AclOperation = 'Read' | 'Write' | 'Describe' | 'Delete';

export interface Acl {
  readonly resource: {
    readonly type: 'topic' | 'group';
    readonly name: string;
    /** `prefix`: every resource whose name starts with `name`. */
    readonly patternType: 'literal' | 'prefix';
  };
  readonly operations: AclOperation[];
}

const topic = (name: string, operations: AclOperation[]): Acl => ({
  resource: { type: 'topic', name, patternType: 'literal' },
  operations,
});

const group = (
  name: string,
  operations: AclOperation[],
  patternType: 'literal' | 'prefix' = 'literal',
): Acl => ({
  resource: { type: 'group', name, patternType },
  operations,
});

/**
 * Least privilege from the catalog, for the KafkaUsers in the cluster and the local secured stack: a service reads exactly the topics it consumes and its own
 * retry tiers (which it also writes), writes exactly the topics it produces and the DLQs and
 * parking topics of the topics it consumes, and reads only its own consumer group.
 */
export function aclsOf(service: ServiceName): Acl[] {
  const consumed = consumedTopicsOf(service);
  const retries = Array.from({ length: consumed.length > 0 ? RETRY_TIERS : 0 }, (_, i) =>
    retryTopicOf(service, i + 1),
  );
  return [
    ...consumed.map((t) => topic(t, ['Read', 'Describe'])),
    ...retries.map((t) => topic(t, ['Read', 'Write', 'Describe'])),
    ...producedTopicsOf(service).map((t) => topic(t, ['Write', 'Describe'])),
    ...consumed.map((t) => topic(dlqTopicOf(t), ['Write', 'Describe'])),
    ...consumed.map((t) => topic(parkingTopicOf(t), ['Write', 'Describe'])),
    ...(consumed.length > 0 ? [group(consumerGroupOf(service), ['Read'])] : []),
  ];
}

/** The KafkaUser a person reviews and replays dead letters as, and reads consumer lag with. */
export const OPERATOR_USER = 'kafka-shop-operator';

/**
 * The operator tools read topics in throwaway consumer groups named with this prefix and delete
 * them afterwards (`readToEnd` in packages/messaging), so they never move a service's offsets.
 */
export const TOOL_READER_GROUP_PREFIX = 'tool-reader-';

/**
 * What `npm run dlq` and `npm run lag` need and nothing more: read every DLQ (list, show) and
 * every parking topic (the records that failed again after their last allowed replay); write
 * the first retry tier of each consuming service, where a replay goes; see the services' groups,
 * their committed offsets and the end offsets of the topics they read (Describe, which reads no
 * record); and its own throwaway reader groups, which it may delete. It reads no primary or retry
 * topic and joins no service's group.
 */
export function operatorAcls(): Acl[] {
  const consumers = SERVICE_NAMES.filter((s) => consumedTopicsOf(s).length > 0);
  const retries = consumers.flatMap((s) =>
    Array.from({ length: RETRY_TIERS }, (_, i) => retryTopicOf(s, i + 1)),
  );
  return [
    ...PRIMARY_TOPICS.map((t) => topic(dlqTopicOf(t.name), ['Read', 'Describe'])),
    ...PRIMARY_TOPICS.map((t) => topic(parkingTopicOf(t.name), ['Read', 'Describe'])),
    ...consumers.map((s) => topic(retryTopicOf(s, 1), ['Write', 'Describe'])),
    ...PRIMARY_TOPICS.map((t) => topic(t.name, ['Describe'])),
    ...retries.filter((t) => !t.endsWith('-retry-1')).map((t) => topic(t, ['Describe'])),
    ...consumers.map((s) => group(consumerGroupOf(s), ['Describe'])),
    group(TOOL_READER_GROUP_PREFIX, ['Read', 'Describe', 'Delete'], 'prefix'),
  ];
}

/** The operations console's KafkaUser (services/ops-console); Strimzi names its Secret the same. */
export const CONSOLE_USER = 'ops-console';

/**
 * What the operations console needs and nothing more: read every topic an order's timeline
 * follows (primaries, retry tiers, DLQs) in throwaway reader groups; write only where a redrive
 * goes (each consuming service's retry-1, as `npm run dlq -- replay`); see the services' groups
 * and committed offsets for the lag on its health page. It writes no primary, later retry tier or
 * DLQ, and joins no service's group.
 */
export function consoleAcls(): Acl[] {
  const consumers = SERVICE_NAMES.filter((s) => consumedTopicsOf(s).length > 0);
  const redriveTargets = new Set(consumers.map((s) => retryTopicOf(s, 1)));
  return [
    ...allTopics().map((t) =>
      topic(
        t.name,
        redriveTargets.has(t.name) ? ['Read', 'Write', 'Describe'] : ['Read', 'Describe'],
      ),
    ),
    ...consumers.map((s) => group(consumerGroupOf(s), ['Describe'])),
    group(TOOL_READER_GROUP_PREFIX, ['Read', 'Describe', 'Delete'], 'prefix'),
  ];
}

/** Whether the ACLs let the principal do `operation` on the named resource. */
export function allows(
  acls: readonly Acl[],
  type: 'topic' | 'group',
  name: string,
  operation: AclOperation,
): boolean {
  return acls.some(
    (a) =>
      a.resource.type === type &&
      (a.resource.patternType === 'prefix'
        ? name.startsWith(a.resource.name)
        : a.resource.name === name) &&
      a.operations.includes(operation),
  );
}
