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

/** HTTP ports when the whole system runs on one machine (`npm start`). */
export const LOCAL_HTTP_PORTS: Readonly<Record<ServiceName, number>> = {
  'order-service': 3001,
  'inventory-service': 3002,
  'payment-service': 3003,
  'notification-service': 3004,
};
