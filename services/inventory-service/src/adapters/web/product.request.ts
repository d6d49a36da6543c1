import { z } from 'zod';

const ProductId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore');

export const AddProductRequest = z.strictObject({
  id: ProductId,
  name: z.string().trim().min(1).max(200),
  priceCents: z.number().int().nonnegative().max(100_000_000),
  initialStock: z.number().int().nonnegative().max(10_000_000),
});

export const RestockRequest = z.strictObject({
  quantity: z.number().int().positive().max(10_000_000),
});

export const ListProductsQuery = z.strictObject({
  ids: z
    .string()
    .max(5_000)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.string().max(64)).max(100))
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
