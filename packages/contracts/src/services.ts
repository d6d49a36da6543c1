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

/**
 * `order-service` -> `ORDER_SERVICE_<suffix>`: the names of the settings that say where a service
 * is (`ORDER_SERVICE_URL`, `ORDER_SERVICE_DATABASE_URL`), the same for the stack, `npm start`, the
 * console and the chart.
 */
export function serviceSettingOf(service: ServiceName, suffix: 'URL' | 'DATABASE_URL'): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_${suffix}`;
}

/** HTTP ports when the whole system runs on one machine (`npm start`). */
export const LOCAL_HTTP_PORTS: Readonly<Record<ServiceName, number>> = {
  'order-service': 3001,
  'inventory-service': 3002,
  'payment-service': 3003,
  'notification-service': 3004,
};
