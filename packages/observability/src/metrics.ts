import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricSpec } from './catalog';

/** A prom-client counter made from its catalog entry. */
export function counterOf<L extends string>(registry: Registry, spec: MetricSpec): Counter<L> {
  return new Counter<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels as L[],
    registers: [registry],
  });
}

/** A gauge whose value is read when Prometheus scrapes. */
export function scrapedGauge(
  registry: Registry,
  spec: MetricSpec,
  read: () => Promise<number>,
): Gauge {
  return new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: [...spec.labels],
    registers: [registry],
    async collect() {
      const value = await read().catch(() => undefined);
      if (value !== undefined) this.set(value);
    },
  });
}
