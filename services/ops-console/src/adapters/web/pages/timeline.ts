import type { OrderTimeline } from '../../../application/order-timeline';
import { html, type SafeHtml } from '../html';
import { layout, shorten, utc, type PageContext } from './layout';
import { orderState } from './order-state';

export function timelineSearchPage(page: PageContext): SafeHtml {
  return layout(
    page,
    'Order timeline',
    html`<form method="get" action="/orders" class="filters">
      <label>Order id <input name="id" required maxlength="128" class="mono" /></label>
      <button type="submit">Show</button>
    </form>`,
  );
}

export function timelinePage(page: PageContext, t: OrderTimeline): SafeHtml {
  return layout(
    page,
    `Order ${t.orderId}`,
    html`<div class="side-by-side">
      <section>
        <h2>Everything that happened to this order, since ${utc(t.since)}</h2>
        ${t.cut.length > 0 ? html`<p class="notice">Only the newest records were read on: ${t.cut.join(', ')}.</p>` : ''}
        ${t.unavailable.map((u) => html`<p class="notice unavailable">Not shown: ${u}</p>`)}
        <table id="timeline">
          <thead>
            <tr>
              <th>At</th>
              <th>Kind</th>
              <th>Where</th>
              <th>Event</th>
              <th>Trace id</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            ${t.steps.map(
              (s) =>
                html`<tr class="${s.failed ? 'step failed' : 'step'}">
                  <td>${utc(s.at)}</td>
                  <td class="kind">${s.kind}</td>
                  <td class="mono">${s.where}</td>
                  <td class="event-type">${s.eventType ?? '—'}</td>
                  <td class="mono trace-id">${s.traceId ?? '—'}</td>
                  <td>${shorten(s.note ?? '', 200)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${t.steps.length === 0 ? html`<p>Nothing about this order in that window.</p>` : ''}
      </section>
      <section>
        <h2>The order now</h2>
        ${orderState(t.order ?? { unavailable: t.orderUnavailable ?? 'unknown' })}
      </section>
    </div>`,
  );
}
