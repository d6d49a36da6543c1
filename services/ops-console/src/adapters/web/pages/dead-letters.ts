import type { DeadLetterListing } from '../../../application/dead-letters';
import type { DeadLetterRecord } from '../../../domain/dead-letter';
import { describeFilter, type FilterFields } from '../dead-letter-filter';
import { html, type SafeHtml } from '../html';
import { csrfField, layout, shorten, utc, type PageContext } from './layout';

const SHOWN_AT_MOST = 500;

function options(values: readonly string[], selected: string | undefined): SafeHtml {
  return html`<option value="">any</option>
    ${values.map(
      (v) => html`<option value="${v}" ${v === selected ? html` selected` : ''}>${v}</option>`,
    )}`;
}

function filterHiddenFields(fields: FilterFields): SafeHtml {
  return html`${Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  )}`;
}

export function recordStatus(parked: boolean, replayCount: number): SafeHtml {
  if (parked) return html`<span class="badge parked">parked after ${replayCount} replay(s)</span>`;
  return replayCount > 0 ? html`<span class="badge">${replayCount} replay(s)</span>` : html``;
}

export function recordLink(r: DeadLetterRecord): SafeHtml {
  return html`<a href="/dead-letters/${encodeURIComponent(r.dlqTopic)}/${r.partition}/${r.offset}"
    >${r.id}</a
  >`;
}

export function orderLink(orderId: string | null): SafeHtml {
  return orderId
    ? html`<a href="/orders/${encodeURIComponent(orderId)}" class="mono">${orderId}</a>`
    : html`—`;
}

export function deadLettersPage(
  page: PageContext,
  listing: DeadLetterListing,
  fields: FilterFields,
  parked: (r: DeadLetterRecord) => boolean,
): SafeHtml {
  const shown = listing.records.slice(0, SHOWN_AT_MOST);
  return layout(
    page,
    'Dead letters',
    html`${listing.complete ? '' : html`<p class="notice">Still reading the DLQs: the list is not complete yet.</p>`}
      <form method="get" action="/dead-letters" class="filters">
        <label
          >Service
          <select name="service">
            ${options(listing.services, fields.service)}
          </select></label
        >
        <label
          >Original topic
          <select name="topic">
            ${options(listing.originalTopics, fields.topic)}
          </select></label
        >
        <label
          >Error class
          <select name="errorClass">
            ${options(listing.errorClasses, fields.errorClass)}
          </select></label
        >
        <label>From (UTC) <input type="datetime-local" name="from" value="${fields.from}" /></label>
        <label>To (UTC) <input type="datetime-local" name="to" value="${fields.to}" /></label>
        <label
          >Error message or order id <input type="search" name="q" value="${fields.q}"
        /></label>
        <button type="submit">Filter</button> <a href="/dead-letters">clear</a>
      </form>
      <p>
        <span id="match-count">${listing.records.length}</span> dead letter(s) match
        (${describeFilter(fields)})${
          listing.records.length > shown.length ? html`; the newest ${shown.length} are shown` : ''
        }.
      </p>
      <form method="post" action="/redrive/plan" class="actions">
        ${csrfField(page)}${filterHiddenFields(fields)}
        <input type="hidden" name="scope" value="filter" />
        <button type="submit" id="plan-all" ${listing.records.length === 0 ? html` disabled` : ''}>
          Dry run: replay all ${listing.records.length} matching
        </button>
      </form>
      <form method="post" action="/redrive/plan">
        ${csrfField(page)}
        <input type="hidden" name="scope" value="selected" />
        <table id="dead-letters">
          <thead>
            <tr>
              <th></th>
              <th>Failed at</th>
              <th>Service</th>
              <th>Original</th>
              <th>Error</th>
              <th>Order</th>
              <th>Record</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (r) =>
                html`<tr data-id="${r.id}">
                  <td>
                    <input
                      type="checkbox"
                      name="record"
                      value="${r.id}"
                      aria-label="select ${r.id}"
                    />
                  </td>
                  <td>${utc(r.errorTimestamp)}</td>
                  <td>${r.service}</td>
                  <td class="mono">
                    ${r.originalTopic}/${r.originalPartition}/${r.originalOffset}
                  </td>
                  <td>
                    <strong class="error-class">${r.errorClass}</strong><br /><span
                      class="error-message"
                      >${shorten(r.errorMessage)}</span
                    >
                  </td>
                  <td>${orderLink(r.key)}</td>
                  <td class="mono">${recordLink(r)}</td>
                  <td>${recordStatus(parked(r), r.replayCount)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <button type="submit" id="plan-selected">Dry run: replay selected</button>
      </form>`,
  );
}
