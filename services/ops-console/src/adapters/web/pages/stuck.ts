import type { StuckSagas } from '../../../application/ports';
import { html, type SafeHtml } from '../html';
import { layout, type PageContext } from './layout';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** Orders past their status's deadline that the sweep has not mended, longest waiting first. */
export function stuckPage(
  page: PageContext,
  stuck: StuckSagas | { error: string },
  now: Date,
): SafeHtml {
  if ('error' in stuck) {
    return layout(
      page,
      'Stuck sagas',
      html`<p class="notice">Could not ask order-service: ${stuck.error}</p>`,
    );
  }
  const deadlines = Object.entries(stuck.deadlinesMs);
  return layout(
    page,
    'Stuck sagas',
    html`<p>
        Deadlines:
        ${deadlines.map(([status, ms], i) => html`${i > 0 ? ', ' : ''}${status} ${minutes(ms)}`)}.
        The sweep cancels a PENDING or CONFIRMED order when its deadline passes and announces the
        cancel of a CANCELLING one again; what stays here is what it could not mend.
      </p>
      <table id="stuck">
        <thead>
          <tr>
            <th>Order</th>
            <th>Status</th>
            <th>Since</th>
            <th>Past its deadline by</th>
            <th>Last step</th>
          </tr>
        </thead>
        <tbody>
          ${stuck.orders.map((o) => {
            const since = new Date(o.statusSince);
            const over = now.getTime() - since.getTime() - (stuck.deadlinesMs[o.status] ?? 0);
            const last = o.history[o.history.length - 1];
            return html`<tr>
              <td class="mono"><a href="/orders/${o.id}">${o.id}</a></td>
              <td>${o.status}</td>
              <td class="mono">${o.statusSince}</td>
              <td>${minutes(Math.max(0, over))}</td>
              <td>${last?.cause ?? ''}</td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${stuck.orders.length === 0 ? html`<p id="none-stuck">No order is past its deadline.</p>` : ''}`,
  );
}
