import { consumerGroupOf, type ServiceName } from './services';
import {
  RETRY_TIERS,
  consumedTopicsOf,
  dlqTopicOf,
  producedTopicsOf,
  retryTopicOf,
} from './topics';

export type AclOperation = 'Read' | 'Write' | 'Describe';

export interface Acl {
  readonly resource: {
    readonly type: 'topic' | 'group';
    readonly name: string;
    readonly patternType: 'literal';
  };
  readonly operations: AclOperation[];
}

const topic = (name: string, operations: AclOperation[]): Acl => ({
  resource: { type: 'topic', name, patternType: 'literal' },
  operations,
});

/**
 * Least privilege from the catalog, for the KafkaUsers in the cluster and the local secured stack: a service reads exactly the topics it consumes and its own
 * retry tiers (which it also writes), writes exactly the topics it produces and the DLQs of the
 * topics it consumes, and reads only its own consumer group.
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
    ...(consumed.length > 0
      ? [
          {
            resource: {
              type: 'group' as const,
              name: consumerGroupOf(service),
              patternType: 'literal' as const,
            },
            operations: ['Read' as const],
          },
        ]
      : []),
  ];
}

/** Whether the ACLs let the principal do `operation` on the named resource (literal patterns only). */
export function allows(
  acls: readonly Acl[],
  type: 'topic' | 'group',
  name: string,
  operation: AclOperation,
): boolean {
  return acls.some(
    (a) => a.resource.type === type && a.resource.name === name && a.operations.includes(operation),
  );
}
