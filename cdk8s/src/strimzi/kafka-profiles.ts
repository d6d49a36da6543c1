/** Compute resources of one container or pod, as Kubernetes writes them. */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** What differs between the Kafka cluster of a real deployment and the one of `skaffold dev`. */
export interface KafkaProfile {
  /** The node pool's `spec.storage`. */
  readonly storage: Record<string, unknown>;
  /** Per Kafka node (broker and controller in one pod). */
  readonly nodeResources: Resources;
  /** `-Xms`/`-Xmx` of each node; Strimzi sizes the heap from the container's memory otherwise. */
  readonly heap?: string;
  /** Strimzi sets none of these when left out: the pods then request nothing. */
  readonly topicOperatorResources?: Resources;
  readonly userOperatorResources?: Resources;
  readonly kafkaExporterResources?: Resources;
  /**
   * Whether the topic operator puts its finalizer on KafkaTopics. With it, a KafkaTopic deleted
   * together with its cluster waits for an operator that no longer runs.
   */
  readonly topicFinalizers: boolean;
}

/**
 * A cluster that outlives its resources: persistent volumes kept when the Kafka resource is
 * deleted (`deleteClaim: false`), so a mistaken delete loses no data.
 */
export const PROD_LIKE_KAFKA: KafkaProfile = {
  storage: {
    type: 'jbod',
    volumes: [
      {
        id: 0,
        type: 'persistent-claim',
        size: '20Gi',
        deleteClaim: false,
        kraftMetadata: 'shared',
      },
    ],
  },
  nodeResources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } },
  topicFinalizers: true,
};

/**
 * `skaffold dev`'s cluster, whose data lives and dies with its pods. skaffold deletes what it
 * deployed on exit; volumes that stayed behind would hold the previous cluster's id, and the next
 * run's brokers, formatted with a new one, crash-loop on `Invalid cluster.id`. An emptyDir cannot
 * outlive its pod, needs no StorageClass, and leaves no claim in Terminating for the next run to
 * race with (which `deleteClaim: true` would). Still three KRaft nodes, so RF 3 and min ISR 2
 * behave as in production, sized to share a 4-CPU / 8 GiB node with the operators.
 */
export const DEV_KAFKA: KafkaProfile = {
  storage: {
    type: 'jbod',
    volumes: [{ id: 0, type: 'ephemeral', sizeLimit: '2Gi', kraftMetadata: 'shared' }],
  },
  heap: '384m',
  nodeResources: { requests: { cpu: '200m', memory: '768Mi' }, limits: { memory: '768Mi' } },
  topicOperatorResources: {
    requests: { cpu: '50m', memory: '256Mi' },
    limits: { memory: '256Mi' },
  },
  userOperatorResources: {
    requests: { cpu: '50m', memory: '256Mi' },
    limits: { memory: '256Mi' },
  },
  kafkaExporterResources: {
    requests: { cpu: '50m', memory: '64Mi' },
    limits: { memory: '128Mi' },
  },
  topicFinalizers: false,
};
