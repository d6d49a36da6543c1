import { z } from 'zod';

export const ListPaymentsQuery = z.strictObject({ orderId: z.uuid() });

export const PaymentIdParam = z.uuid();
