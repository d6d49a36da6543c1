import { Registry } from 'prom-client';
import { createLogger } from '@shop/observability';
import { prometheusReconciliationObserver } from './prometheus-reconciliation-observer';

const sample = (text: string, name: string) =>
  text.split('\n').find((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`));

describe('the reconciliation metrics', () => {
  const setUp = () => {
    const registry = new Registry();
    const observer = prometheusReconciliationObserver(registry, createLogger('test', 'fatal'));
    return { registry, observer };
  };

  it('exports no stock accuracy and no last success before a reconciliation has succeeded', async () => {
    const { registry, observer } = setUp();
    observer.failed(new Error('database away'));
    const text = await registry.metrics();
    expect(sample(text, 'stock_accuracy_ratio')).toBeUndefined();
    expect(sample(text, 'stock_reconciliation_last_success_timestamp_seconds')).toBeUndefined();
    expect(sample(text, 'stock_reconciliation_failures_total')).toBe(
      'stock_reconciliation_failures_total 1',
    );
  });

  it('reports the last success and keeps it through failures', async () => {
    const { registry, observer } = setUp();
    observer.lastSuccess({ accuracy: 0.75, products: 4, at: new Date('2026-01-01T00:00:00Z') });
    observer.failed(new Error('database away'));
    observer.failed(new Error('database away'));
    const text = await registry.metrics();
    expect(sample(text, 'stock_accuracy_ratio')).toBe('stock_accuracy_ratio 0.75');
    expect(sample(text, 'stock_reconciliation_last_success_timestamp_seconds')).toBe(
      'stock_reconciliation_last_success_timestamp_seconds 1767225600',
    );
    expect(sample(text, 'stock_reconciliation_failures_total')).toBe(
      'stock_reconciliation_failures_total 2',
    );
  });
});
