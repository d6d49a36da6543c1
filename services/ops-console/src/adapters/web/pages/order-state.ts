import type { OrderState } from '../../../application/ports';
import { html, type SafeHtml } from '../html';
import { utc } from './layout';

export function orderState(
  order: OrderState | { readonly unavailable: string } | undefined,
): SafeHtml {
  if (order === undefined) return html`<p>The record has no key, so no order to show.</p>`;
  if ('unavailable' in order)
    return html`<p class="notice" id="order-unavailable">${order.unavailable}</p>`;
  return html`<table id="order-state">
      <tr>
        <th>Order</th>
        <td class="mono">${order.id}</td>
      </tr>
      <tr>
        <th>Status</th>
        <td><strong id="order-status">${order.status}</strong></td>
      </tr>
      <tr>
        <th>Customer</th>
        <td>${order.customerId}</td>
      </tr>
      <tr>
        <th>Created</th>
        <td>${utc(order.createdAt)}</td>
      </tr>
    </table>
    <table>
      <thead>
        <tr>
          <th>At</th>
          <th>Became</th>
          <th>Because of</th>
        </tr>
      </thead>
      <tbody>
        ${order.history.map(
          (h) =>
            html`<tr>
              <td>${utc(h.at)}</td>
              <td>${h.to}</td>
              <td>${h.cause}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
