/** The demo catalog's order mix, shared by `npm run demo` and `npm run chaos`. */

const COMMON = ['PROD-001', 'PROD-002', 'PROD-003', 'PROD-004', 'PROD-005', 'PROD-006', 'PROD-007'];
export const SCARCE = 'PROD-008';

export type Kind = 'normal' | 'short' | 'declined' | 'cancelled';

export interface MixedOrder {
  readonly kind: Kind;
  /** The body of POST /orders; a `cancelled` order is cancelled by the caller once placed. */
  readonly request: {
    readonly customerId: string;
    readonly lines: Array<{ productId: string; quantity: number }>;
    readonly paymentMethod: { type: 'card'; reference: string };
  };
}

/** Most orders succeed; some ask for more of the scarce product than is left; some are declined or cancelled. */
function kindOf(i: number): Kind {
  const r = i % 20;
  if (r < 14) return 'normal';
  if (r < 16) return 'short';
  if (r < 18) return 'declined';
  return 'cancelled';
}

/** Order `i` of the mix, placed by one of 40 customers named `<customerPrefix>-<n>`. */
export function mixedOrder(i: number, customerPrefix: string): MixedOrder {
  const kind = kindOf(i);
  const lines =
    kind === 'short'
      ? [{ productId: SCARCE, quantity: 30 }]
      : [
          { productId: COMMON[i % COMMON.length]!, quantity: 1 + (i % 2) },
          ...(i % 3 === 0 ? [{ productId: COMMON[(i + 3) % COMMON.length]!, quantity: 1 }] : []),
        ];
  return {
    kind,
    request: {
      customerId: `${customerPrefix}-${i % 40}`,
      lines,
      paymentMethod: { type: 'card', reference: kind === 'declined' ? 'tok_declined' : 'tok_visa' },
    },
  };
}
