import type { SystemHealth } from '../../../application/system-health';
import { html, query, type SafeHtml } from '../html';
import { layout, type PageContext } from './layout';

export function statusPage(page: PageContext, health: SystemHealth): SafeHtml {
  return layout(
    page,
    'Health',
    html`<h2>Consumer lag per group and topic</h2>
      ${health.lagError ? html`<p class="notice">Could not read the lag: ${health.lagError}</p>` : ''}
      <table id="lag">
        <thead>
          <tr>
            <th>Group</th>
            <th>Topic</th>
            <th>Partitions</th>
            <th>Lag</th>
          </tr>
        </thead>
        <tbody>
          ${health.lag.map(
            (l) =>
              html`<tr>
                <td>${l.groupId}</td>
                <td>${l.topic}</td>
                <td>${l.partitions}</td>
                <td>${l.lag}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${health.lag.length === 0 && !health.lagError ? html`<p>No service group has committed an offset yet.</p>` : ''}
      <h2>Dead letters per DLQ</h2>
      ${health.dlqComplete ? '' : html`<p class="notice">Still reading the DLQs: counts are not complete yet.</p>`}
      <table id="dlq-counts">
        <thead>
          <tr>
            <th>DLQ</th>
            <th>Records</th>
            <th>Parked</th>
          </tr>
        </thead>
        <tbody>
          ${health.dlq.map(
            (d) =>
              html`<tr>
                <td>
                  <a
                    href="/dead-letters${query({ topic: d.dlqTopic.replace(/-(dlq|parking)$/, '') })}"
                    >${d.dlqTopic}</a
                  >
                </td>
                <td>${d.records}</td>
                <td>${d.parked}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${health.dlq.length === 0 ? html`<p>No dead letters.</p>` : ''}
      <h2>Outbox backlog per service</h2>
      <p>From each service's outbox gauges, as the outbox alerts read them.</p>
      <table id="outbox-backlog">
        <thead>
          <tr>
            <th>Service</th>
            <th>Unpublished rows</th>
            <th>Oldest unpublished</th>
          </tr>
        </thead>
        <tbody>
          ${health.outbox.map((o) =>
            o.error === undefined
              ? html`<tr>
                  <td>${o.service}</td>
                  <td class="unpublished">${o.unpublished ?? '—'}</td>
                  <td class="oldest-age">
                    ${o.oldestAgeSeconds === undefined ? '—' : `${o.oldestAgeSeconds.toFixed(1)} s`}
                  </td>
                </tr>`
              : html`<tr>
                  <td>${o.service}</td>
                  <td colspan="2" class="notice">not read: ${o.error}</td>
                </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
