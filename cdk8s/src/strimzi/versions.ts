/**
 * Kafka versions each Strimzi release runs: the `supported: true` entries of `kafka-versions.yaml`
 * at that release's tag of github.com/strimzi/strimzi-kafka-operator. An operator refuses a
 * `Kafka` whose `spec.kafka.version` is not listed for it: the cluster never becomes Ready, and no
 * user or CA Secret appears for the services to mount.
 */
export const KAFKA_VERSIONS_OF_STRIMZI: Readonly<Record<string, readonly string[]>> = {
  '0.49.0': ['4.0.0', '4.0.1', '4.1.0', '4.1.1'],
  '0.49.1': ['4.0.0', '4.0.1', '4.1.0', '4.1.1'],
  '0.50.0': ['4.0.0', '4.0.1', '4.1.0', '4.1.1'],
  '0.50.1': ['4.0.0', '4.0.1', '4.1.0', '4.1.1'],
  '0.51.0': ['4.1.0', '4.1.1', '4.2.0'],
  '1.0.0': ['4.1.0', '4.1.1', '4.1.2', '4.2.0'],
  '1.0.1': ['4.1.0', '4.1.1', '4.1.2', '4.2.0'],
  '1.1.0': ['4.2.0', '4.2.1', '4.3.0'],
  '1.2.0': ['4.2.0', '4.2.1', '4.3.0', '4.3.1'],
};

/**
 * The Strimzi release the manifests are written for: the operator to install (docs/kubernetes.md
 * pins it) and the release whose CRDs third_party/crds/strimzi copies.
 */
export const STRIMZI_VERSION = '1.2.0';

/** The Kafka the cluster runs; STRIMZI_VERSION must support it. */
export const KAFKA_VERSION = '4.3.1';

/** Strimzi releases, of those above, that run the given Kafka version. */
export function strimziReleasesRunning(kafkaVersion: string): string[] {
  return Object.entries(KAFKA_VERSIONS_OF_STRIMZI)
    .filter(([, kafka]) => kafka.includes(kafkaVersion))
    .map(([strimzi]) => strimzi);
}
