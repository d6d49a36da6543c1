import {
  RETRY_TIERS,
  consumedTopicsOf,
  consumerGroupOf,
  retryTopicOf,
  type ServiceName,
} from '@shop/contracts';

/** What one consuming service reads: its primary topics and its own retry tiers, in one group. */
export interface ConsumerTopology {
  readonly service: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Tier 1..n in order; records retried by this service only ever land here. */
  readonly retryTopics: readonly string[];
}

export function topologyOf(service: ServiceName): ConsumerTopology {
  return {
    service,
    groupId: consumerGroupOf(service),
    topics: consumedTopicsOf(service),
    retryTopics: Array.from({ length: RETRY_TIERS }, (_, i) => retryTopicOf(service, i + 1)),
  };
}
