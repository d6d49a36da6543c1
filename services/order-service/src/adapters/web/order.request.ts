import { z } from 'zod';
import { PaymentMethod } from '@shop/contracts';
import { ORDER_STATUSES } from '../../domain/order-status';

export const PlaceOrderRequest = z.strictObject({
  customerId: z.string().trim().min(1).max(64),
  lines: z
    .array(
      z.strictObject({
        productId: z.string().trim().min(1).max(64),
        quantity: z.number().int().positive().max(10_000),
      }),
    )
    .min(1)
    .max(100),
  paymentMethod: PaymentMethod.default({ type: 'card', reference: 'tok_visa' }),
});

export const CancelOrderRequest = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .default({});

export const ListOrdersQuery = z.strictObject({
  customerId: z.string().min(1).max(64).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const StuckSagasQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const OrderIdParam = z.uuid();

export const IdempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII')
  .optional();
