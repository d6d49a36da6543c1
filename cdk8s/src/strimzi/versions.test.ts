import fs from 'node:fs';
import path from 'node:path';
import {
  KAFKA_VERSION,
  KAFKA_VERSIONS_OF_STRIMZI,
  STRIMZI_VERSION,
  strimziReleasesRunning,
} from './versions';

const ROOT = path.resolve(__dirname, '../../..');

/** Lines of a document that install the Strimzi operator (Helm chart or release YAML). */
function strimziInstalls(file: string): string[] {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  return text
    .split('\n')
    .filter((l) => /helm (install|upgrade)\b.*strimzi-kafka-operator|strimzi\.io\/install/.test(l));
}

describe('Strimzi version pin', () => {
  it(`runs Kafka ${KAFKA_VERSION} on an operator that supports it (Strimzi ${STRIMZI_VERSION})`, () => {
    expect(KAFKA_VERSIONS_OF_STRIMZI[STRIMZI_VERSION]).toContain(KAFKA_VERSION);
  });

  it('knows that only the 1.2 line runs Kafka 4.3.1 (upstream kafka-versions.yaml)', () => {
    expect(strimziReleasesRunning('4.3.1')).toEqual(['1.2.0']);
    expect(strimziReleasesRunning('4.2.0')).toEqual(['0.51.0', '1.0.0', '1.0.1', '1.1.0', '1.2.0']);
  });

  it('installs exactly the pinned operator wherever the docs install it', () => {
    const docs = strimziInstalls(path.join(ROOT, 'docs/kubernetes.md'));
    expect(docs.length).toBeGreaterThan(0);
    const everywhere = [...docs, ...strimziInstalls(path.join(ROOT, 'README.md'))];
    const unpinned = everywhere.filter(
      (l) =>
        !l.includes(`--version ${STRIMZI_VERSION}`) &&
        !l.includes(`/releases/download/${STRIMZI_VERSION}/`),
    );
    expect(unpinned).toEqual([]);
  });
});
