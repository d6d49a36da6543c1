import type { Replay, ReplaySummary } from '../../../application/ports';
import { html, type SafeHtml } from '../html';
import { orderLink } from './dead-letters';
import { layout, utc, type PageContext } from './layout';

export function replaysPage(page: PageContext, replays: readonly ReplaySummary[]): SafeHtml {
  return layout(
    page,
    'Replays',
    html`<table id="replays">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>Asked for</th>
          <th>Sent</th>
          <th>Failed</th>
          <th>Parked</th>
          <th>Already replayed</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${replays.map(
          (r) =>
            html`<tr data-id="${r.id}">
              <td>${utc(r.requestedAt)}</td>
              <td>${r.operator}</td>
              <td>${r.scope}</td>
              <td>${r.counts.sent}</td>
              <td>${r.counts.failed}</td>
              <td>${r.counts.parked}</td>
              <td>${r.counts['already replayed']}</td>
              <td><a href="/replays/${r.id}">details</a></td>
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

export function replayPage(page: PageContext, replay: Replay): SafeHtml {
  return layout(
    page,
    `Replay ${replay.id}`,
    html`<table id="replay-facts">
        <tr>
          <th>Who</th>
          <td id="replay-operator">${replay.operator}</td>
        </tr>
        <tr>
          <th>Asked at</th>
          <td>${utc(replay.requestedAt)}</td>
        </tr>
        <tr>
          <th>Finished at</th>
          <td>${replay.finishedAt ? utc(replay.finishedAt) : 'not finished'}</td>
        </tr>
        <tr>
          <th>Asked for</th>
          <td>${replay.scope}</td>
        </tr>
      </table>
      <table id="replay-records">
        <thead>
          <tr>
            <th>Record</th>
            <th>Service</th>
            <th>Original topic</th>
            <th>Order</th>
            <th>Replays before</th>
            <th>Sent to</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          ${replay.records.map(
            (r) =>
              html`<tr data-id="${r.id}">
                <td class="mono">${r.id}</td>
                <td>${r.service}</td>
                <td>${r.originalTopic}</td>
                <td>${orderLink(r.orderId)}</td>
                <td>${r.replayCount}</td>
                <td class="mono">${r.target}</td>
                <td class="outcome ${r.outcome === 'failed' ? 'failed' : ''}">
                  ${r.outcome}${r.error ? html`: ${r.error}` : ''}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
