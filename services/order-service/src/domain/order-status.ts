export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'CANCELLING',
  'COMPLETED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
