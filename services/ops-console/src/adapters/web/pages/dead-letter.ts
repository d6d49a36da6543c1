import type { DeadLetterDetail } from '../../../application/dead-letters';
import { html, type SafeHtml } from '../html';
import { showValue } from '../record-text';
import { orderLink, recordStatus } from './dead-letters';
import { csrfField, layout, utc, type PageContext } from './layout';
import { orderState } from './order-state';

export function deadLetterPage(
  page: PageContext,
  detail: DeadLetterDetail,
  target: string,
): SafeHtml {
  const r = detail.record;
  const value = showValue(r.value);
  return layout(
    page,
    `Dead letter ${r.id}`,
    html`<div class="side-by-side">
      <section>
        <table id="record-facts">
          <tr>
            <th>Service that failed it</th>
            <td>${r.service}</td>
          </tr>
          <tr>
            <th>Original record</th>
            <td class="mono">${r.originalTopic}/${r.originalPartition}/${r.originalOffset}</td>
          </tr>
          <tr>
            <th>Failed at</th>
            <td>${utc(r.errorTimestamp)}</td>
          </tr>
          <tr>
            <th>Error</th>
            <td><strong>${r.errorClass}</strong>: ${r.errorMessage}</td>
          </tr>
          <tr>
            <th>Replays</th>
            <td>${r.replayCount} ${recordStatus(detail.parked, r.replayCount)}</td>
          </tr>
          <tr>
            <th>Key (order)</th>
            <td id="record-key">${orderLink(r.key)}</td>
          </tr>
        </table>
        ${
          detail.parked
            ? html`<p class="notice">
                Parked: replayed as often as allowed and failed again. It will not be sent back from
                here.
              </p>`
            : html`<form method="post" action="/redrive/plan">
                ${csrfField(page)} <input type="hidden" name="scope" value="one" /><input
                  type="hidden"
                  name="record"
                  value="${r.id}"
                />
                <button type="submit" id="plan-one">Dry run: replay to ${target}</button>
              </form>`
        }
        <h2>Value (${value.kind})</h2>
        <pre id="record-value">
${value.kind === 'binary' ? value.base64 : value.kind === 'none' ? '(no value)' : value.text}</pre>
        <h2>Headers</h2>
        <table id="record-headers">
          ${r.headers.map(
            ([name, v]) =>
              html`<tr>
                <th class="mono">${name}</th>
                <td>
                  ${name === 'dlq.error.stacktrace' ? html`<pre>${v}</pre>` : html`<span class="mono">${v}</span>`}
                </td>
              </tr>`,
          )}
        </table>
      </section>
      <section>
        <h2>The order now</h2>
        ${orderState(detail.order)}
        ${r.key ? html`<p><a href="/orders/${encodeURIComponent(r.key)}">Timeline of this order</a></p>` : ''}
      </section>
    </div>`,
  );
}
