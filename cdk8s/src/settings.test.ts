import { DEFAULT_RUNBOOK_BASE_URL, clusterSettings } from './settings';

describe('cluster settings', () => {
  it('links the runbooks to docs/runbook.md where the repository is published, absolutely', () => {
    expect(DEFAULT_RUNBOOK_BASE_URL).toBe(
      'https://github.com/kafka-shop/kafka-shop/blob/main/docs/runbook.md',
    );
    expect(clusterSettings({}).runbookBaseUrl).toBe(DEFAULT_RUNBOOK_BASE_URL);
    expect(clusterSettings({ RUNBOOK_BASE_URL: '' }).runbookBaseUrl).toBe(DEFAULT_RUNBOOK_BASE_URL);
    // Alertmanager and Grafana resolve a relative link against their own address.
    expect(new URL(DEFAULT_RUNBOOK_BASE_URL).protocol).toBe('https:');
  });

  it('looks for the Strimzi cluster operator where the README installs it, unless told otherwise', () => {
    expect(clusterSettings({}).strimziNamespace).toBe('kafka');
    expect(clusterSettings({ STRIMZI_NAMESPACE: 'strimzi' }).strimziNamespace).toBe('strimzi');
  });

  it('takes a fork’s absolute URL of its runbook', () => {
    const url = 'https://github.com/acme/kafka-shop/blob/main/docs/runbook.md';
    expect(clusterSettings({ RUNBOOK_BASE_URL: url }).runbookBaseUrl).toBe(url);
  });

  it.each([
    'docs/runbook.md',
    'README.md',
    'github.com/acme/kafka-shop/blob/main/docs/runbook.md',
    'ftp://example.com/runbook.md',
    'https://github.com/acme/kafka-shop/blob/main/docs/runbook.md#runbook',
  ])('refuses RUNBOOK_BASE_URL=%s: a link from Alertmanager would not reach the runbook', (url) => {
    expect(() => clusterSettings({ RUNBOOK_BASE_URL: url })).toThrow(/RUNBOOK_BASE_URL/);
  });
});
