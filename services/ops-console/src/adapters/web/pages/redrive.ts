import type { DeadLetterRecord } from '../../../domain/dead-letter';
import type { RedrivePlan } from '../../../domain/redrive-plan';
import { html, type SafeHtml } from '../html';
import { orderLink, recordLink } from './dead-letters';
import { csrfField, layout, type PageContext } from './layout';

function rows(
  records: readonly DeadLetterRecord[],
  target: (r: DeadLetterRecord) => string,
): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th>Record</th>
        <th>Service</th>
        <th>Error</th>
        <th>Order</th>
        <th>Replays so far</th>
        <th>Would go to</th>
      </tr>
    </thead>
    <tbody>
      ${records.map(
        (r) =>
          html`<tr data-id="${r.id}">
            <td class="mono">${recordLink(r)}</td>
            <td>${r.service}</td>
            <td>${r.errorClass}</td>
            <td>${orderLink(r.key)}</td>
            <td>${r.replayCount}</td>
            <td class="mono">${target(r)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The dry run: exactly what a replay would send, and what it would leave, before anything moves. */
export function redrivePlanPage(
  page: PageContext,
  plan: RedrivePlan,
  scope: string,
  planMac: string,
  target: (r: DeadLetterRecord) => string,
): SafeHtml {
  return layout(
    page,
    'Dry run: replay',
    html`<p>Asked for: ${scope}. Nothing has been sent yet.</p>
      <h2 id="to-send">Would be sent back (${plan.toSend.length})</h2>
      ${rows(plan.toSend, target)}
      ${
        plan.parked.length > 0
          ? html`<h2 id="parked">Parked, not sent (${plan.parked.length})</h2>
              <p>Replayed as often as allowed already; they failed again each time.</p>
              ${rows(plan.parked, () => '—')}`
          : ''
      }
      ${
        plan.alreadyReplayed.length > 0
          ? html`<h2 id="already-replayed">
                Sent back before, not sent again (${plan.alreadyReplayed.length})
              </h2>
              ${rows(plan.alreadyReplayed, () => '—')}`
          : ''
      }
      ${
        plan.toSend.length > 0
          ? html`<form method="post" action="/redrive">
              ${csrfField(page)}
              <input type="hidden" name="scope" value="${scope}" />
              <input
                type="hidden"
                name="records"
                value="${plan.toSend.map((r) => r.id).join(' ')}"
              />
              <input type="hidden" name="plan" value="${planMac}" />
              <button type="submit" id="replay">Replay ${plan.toSend.length} record(s)</button>
              <a href="/dead-letters">cancel</a>
            </form>`
          : html`<p>Nothing to send. <a href="/dead-letters">Back to the dead letters</a></p>`
      }`,
  );
}
