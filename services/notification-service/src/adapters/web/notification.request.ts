import { z } from 'zod';

export const ListNotificationsQuery = z
  .strictObject({
    orderId: z.uuid().optional(),
    customerId: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine(
    (q) => q.orderId !== undefined || q.customerId !== undefined,
    'give orderId or customerId',
  );
