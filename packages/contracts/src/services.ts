export const SERVICE_NAMES = [
  'order-service',
  'inventory-service',
  'payment-service',
  'notification-service',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The guide's consumer group naming: `<service>-group`. */
export function consumerGroupOf(service: ServiceName): string {
  return `${service}-group`;
}
