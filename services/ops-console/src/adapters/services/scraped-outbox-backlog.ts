import type { ServiceName } from '@shop/contracts';
import { OUTBOX_METRICS } from '@shop/observability';
import type { OutboxBacklog, OutboxBacklogSource } from '../../application/ports';
import { gaugeOf } from '../../domain/gauge-reading';

/**
 * Each service's outbox gauges from its own `GET /metrics`: the numbers the OutboxBacklogGrowing
 * and OutboxEventsStale alerts judge, read the way Prometheus reads them (each scrape counts the
 * service's unpublished rows in its database).
 */
export class ScrapedOutboxBacklog implements OutboxBacklogSource {
  constructor(
    private readonly serviceUrls: Readonly<Record<ServiceName, string | undefined>>,
    private readonly settingOf: (service: ServiceName) => string,
    private readonly timeoutMs = 3_000,
  ) {}

  backlog(): Promise<OutboxBacklog[]> {
    return Promise.all(
      (Object.entries(this.serviceUrls) as Array<[ServiceName, string | undefined]>).map(
        ([service, url]) => this.of(service, url),
      ),
    );
  }

  private async of(service: ServiceName, url: string | undefined): Promise<OutboxBacklog> {
    if (!url) return { service, error: `${this.settingOf(service)} is not set` };
    try {
      const response = await fetch(`${url}/metrics`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) return { service, error: `/metrics answered ${response.status}` };
      const scrape = await response.text();
      const unpublished = gaugeOf(scrape, OUTBOX_METRICS.backlog.name, service);
      if (unpublished === undefined)
        return { service, error: `no ${OUTBOX_METRICS.backlog.name} in its /metrics` };
      return {
        service,
        unpublished,
        oldestAgeSeconds: gaugeOf(scrape, OUTBOX_METRICS.oldestAge.name, service),
      };
    } catch (err) {
      return { service, error: (err as Error).message };
    }
  }
}
