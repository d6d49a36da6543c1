import { z } from 'zod';

/** Money in minor units (cents) with its currency, so no float ever rounds a price. */
const Money = {
  amountCents: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
};

const ProductId = z.string().min(1).max(64);
const OrderId = z.uuid();
const CustomerId = z.string().min(1).max(64);
const Quantity = z.number().int().positive().max(10_000);

const OrderLine = z.strictObject({ productId: ProductId, quantity: Quantity });
const PricedLine = z.strictObject({
  productId: ProductId,
  quantity: Quantity,
  unitPriceCents: z.number().int().nonnegative(),
});
const StockLine = z.strictObject({ productId: ProductId, quantity: Quantity });

export const PaymentMethod = z.strictObject({
  type: z.enum(['card', 'wallet']),
  /** A token or the card's last digits; never a full card number. */
  reference: z.string().min(1).max(64),
});

/** One zod schema per event type: the payloads, validated on publish and on consume. */
export const EVENT_PAYLOADS = {
  OrderCreated: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    lines: z.array(OrderLine).min(1).max(100),
    paymentMethod: PaymentMethod,
  }),
  OrderCancelled: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    reason: z.string().min(1).max(500),
  }),
  OrderCompleted: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    ...Money,
  }),
  PaymentRequested: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    paymentMethod: PaymentMethod,
    ...Money,
  }),
  StockReserved: z.strictObject({
    orderId: OrderId,
    reservedItems: z.array(PricedLine).min(1),
    ...Money,
  }),
  InsufficientStock: z.strictObject({
    orderId: OrderId,
    shortLines: z
      .array(
        z.strictObject({
          productId: ProductId,
          requested: Quantity,
          available: z.number().int().nonnegative(),
        }),
      )
      .min(1),
  }),
  StockDeducted: z.strictObject({ orderId: OrderId, items: z.array(StockLine).min(1) }),
  StockRestored: z.strictObject({ orderId: OrderId, items: z.array(StockLine).min(1) }),
  PaymentCompleted: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    paymentId: z.uuid(),
    ...Money,
  }),
  PaymentFailed: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    paymentId: z.uuid().optional(),
    reason: z.string().min(1).max(500),
    ...Money,
  }),
  PaymentRefunded: z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    paymentId: z.uuid(),
    reason: z.string().min(1).max(500),
    ...Money,
  }),
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export type PayloadOf<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;

export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_PAYLOADS, value);
}
