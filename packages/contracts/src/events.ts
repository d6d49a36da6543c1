import { z } from 'zod';

/** z.object for readers, z.strictObject for writers: the schemas below are written once for both. */
type ObjectSchema = typeof z.object;

/** The reasons order-service cancels an order for (its cancellation kinds and metric labels). */
export const CANCELLATION_CODES = [
  'customer',
  'insufficient_stock',
  'payment_failed',
  'deadline_passed',
] as const;
export type CancellationCode = (typeof CANCELLATION_CODES)[number];
/** v2's codes: a v2 reader refuses any other, so a new code is a new version. */
const CANCELLATION_CODES_V2 = ['customer', 'insufficient_stock', 'payment_failed'] as const;

/**
 * Every version of every event's payload, oldest first: version n is element n - 1. A version is
 * never edited once released (packages/contracts/released/, checked by compatibility.test.ts);
 * a change that the gate refuses becomes a new version with an upcaster (upcasters.ts).
 */
function payloadVersions(object: ObjectSchema) {
  /** Money in minor units (cents) with its currency, so no float ever rounds a price. */
  const Money = {
    amountCents: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
  };
  const ProductId = z.string().min(1).max(64);
  const OrderId = z.uuid();
  const CustomerId = z.string().min(1).max(64);
  const Quantity = z.number().int().positive().max(10_000);
  const Reason = z.string().min(1).max(500);

  const OrderLine = object({ productId: ProductId, quantity: Quantity });
  const PricedLine = object({
    productId: ProductId,
    quantity: Quantity,
    unitPriceCents: z.number().int().nonnegative(),
  });
  const StockLine = object({ productId: ProductId, quantity: Quantity });
  const PaymentMethod = object({
    type: z.enum(['card', 'wallet']),
    /** A token or the card's last digits; never a full card number. */
    reference: z.string().min(1).max(64),
  });

  return {
    OrderCreated: [
      object({
        orderId: OrderId,
        customerId: CustomerId,
        lines: z.array(OrderLine).min(1).max(100),
        paymentMethod: PaymentMethod,
      }),
    ],
    OrderCancelled: [
      object({ orderId: OrderId, customerId: CustomerId, reason: Reason }),
      // v2: why, as a code a reader can branch on; the customer-facing sentence stays in detail.
      object({
        orderId: OrderId,
        customerId: CustomerId,
        reason: object({ code: z.enum(CANCELLATION_CODES_V2), detail: Reason }),
      }),
      // v3: the saga's deadline sweep cancels too (deadline_passed).
      object({
        orderId: OrderId,
        customerId: CustomerId,
        reason: object({ code: z.enum(CANCELLATION_CODES), detail: Reason }),
      }),
    ],
    OrderCompleted: [object({ orderId: OrderId, customerId: CustomerId, ...Money })],
    PaymentRequested: [
      object({
        orderId: OrderId,
        customerId: CustomerId,
        paymentMethod: PaymentMethod,
        ...Money,
      }),
    ],
    StockReserved: [
      object({ orderId: OrderId, reservedItems: z.array(PricedLine).min(1), ...Money }),
    ],
    InsufficientStock: [
      object({
        orderId: OrderId,
        shortLines: z
          .array(
            object({
              productId: ProductId,
              requested: Quantity,
              available: z.number().int().nonnegative(),
            }),
          )
          .min(1),
      }),
    ],
    StockDeducted: [object({ orderId: OrderId, items: z.array(StockLine).min(1) })],
    StockRestored: [
      object({ orderId: OrderId, items: z.array(StockLine).min(1) }),
      // v2: no items when the cancel came before any reservation (nothing was held).
      object({ orderId: OrderId, items: z.array(StockLine) }),
    ],
    PaymentCompleted: [
      object({ orderId: OrderId, customerId: CustomerId, paymentId: z.uuid(), ...Money }),
    ],
    PaymentFailed: [
      object({
        orderId: OrderId,
        customerId: CustomerId,
        paymentId: z.uuid().optional(),
        reason: Reason,
        ...Money,
      }),
    ],
    PaymentRefunded: [
      object({
        orderId: OrderId,
        customerId: CustomerId,
        paymentId: z.uuid(),
        reason: Reason,
        ...Money,
      }),
    ],
  } as const;
}

/** What a producer writes: closed objects, so a misspelt or stray field fails before it is sent. */
export const WRITTEN_PAYLOADS = payloadVersions(z.strictObject as unknown as ObjectSchema);

/**
 * What a consumer accepts: properties it does not know are dropped (a tolerant reader), so adding
 * an optional field to a released version does not break consumers still running the old code.
 */
export const READ_PAYLOADS = payloadVersions(z.object);

export type PayloadVersions = typeof WRITTEN_PAYLOADS;
type Versions = PayloadVersions;
type Last<T> = T extends readonly [...unknown[], infer L] ? L : never;

export type EventType = keyof Versions;
/** The payload of an event type's current version: what producers write and handlers see. */
export type PayloadOf<T extends EventType> = z.infer<Last<Versions[T]>>;
export const EVENT_TYPES = Object.keys(WRITTEN_PAYLOADS) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(WRITTEN_PAYLOADS, value);
}

/** The version producers write: the newest one. */
export function currentVersionOf(eventType: EventType): number {
  return WRITTEN_PAYLOADS[eventType].length;
}

/** Every version of the event type a consumer can still read, oldest first. */
export function versionsOf(eventType: EventType): number[] {
  return WRITTEN_PAYLOADS[eventType].map((_, i) => i + 1);
}

export function writtenSchema(eventType: EventType, version: number): z.ZodType {
  return schemaAt(WRITTEN_PAYLOADS, eventType, version);
}

export function readSchema(eventType: EventType, version: number): z.ZodType | undefined {
  return READ_PAYLOADS[eventType][version - 1];
}

/** The current version's writer schema of each event type (what createEnvelope checks). */
export const EVENT_PAYLOADS = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, writtenSchema(type, currentVersionOf(type))]),
) as { readonly [T in EventType]: z.ZodType<PayloadOf<T>> };

function schemaAt(versions: Versions, eventType: EventType, version: number): z.ZodType {
  const schema = versions[eventType][version - 1];
  if (!schema) throw new RangeError(`${eventType} has no version ${version}`);
  return schema;
}

/** How a customer pays, as orders carry it (order-service's request schema reuses it). */
export const PaymentMethod = WRITTEN_PAYLOADS.OrderCreated[0].shape.paymentMethod;
