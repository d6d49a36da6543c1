import { DEFAULT_RUNBOOK_BASE_URL, clusterSettings } from './settings';

describe('cluster settings', () => {
  it('links the runbooks to the repository README unless told otherwise', () => {
    expect(clusterSettings({}).runbookBaseUrl).toBe(DEFAULT_RUNBOOK_BASE_URL);
    expect(clusterSettings({ RUNBOOK_BASE_URL: '' }).runbookBaseUrl).toBe('README.md');
  });

  it('takes the README’s absolute URL', () => {
    const url = 'https://github.com/acme/kafka-shop/blob/main/README.md';
    expect(clusterSettings({ RUNBOOK_BASE_URL: url }).runbookBaseUrl).toBe(url);
  });

  it.each([
    'docs/README.md',
    'github.com/acme/kafka-shop/blob/main/README.md',
    'ftp://example.com/README.md',
    'https://github.com/acme/kafka-shop/blob/main/README.md#runbook',
  ])('refuses RUNBOOK_BASE_URL=%s: a link from Alertmanager would not reach the runbook', (url) => {
    expect(() => clusterSettings({ RUNBOOK_BASE_URL: url })).toThrow(/RUNBOOK_BASE_URL/);
  });
});
