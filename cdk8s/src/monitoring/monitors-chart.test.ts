import path from 'node:path';
import { K8S_DIR } from '../main';
import { readManifests } from '../manifests';
import { CERTIFICATE_EXPIRY_METRIC } from './broker-alert-rules';

interface PodMonitorSpec {
  selector: { matchLabels: Record<string, string> };
  namespaceSelector: { matchNames: string[] };
  podMetricsEndpoints: Array<{ port: string; path: string }>;
}

const podMonitors = readManifests(path.join(K8S_DIR, 'monitoring'))
  .filter((m) => m.kind === 'PodMonitor')
  .map((m) => m.spec as unknown as PodMonitorSpec);

describe('the generated PodMonitors', () => {
  it(`scrape the Strimzi cluster operator in its own namespace, which exports ${CERTIFICATE_EXPIRY_METRIC}`, () => {
    // Strimzi's operator Deployment labels its pod strimzi.io/kind=cluster-operator and names its
    // metrics port http; docs/kubernetes.md installs it in namespace kafka.
    expect(podMonitors).toContainEqual({
      selector: { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } },
      namespaceSelector: { matchNames: ['kafka'] },
      podMetricsEndpoints: [expect.objectContaining({ port: 'http', path: '/metrics' })],
    });
  });
});
