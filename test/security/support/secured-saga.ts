import type { ServiceName } from '@shop/contracts';
import { serviceEnv, type ServiceWiring, type Stack, type StackConfig } from '@shop/devstack';
import { loadInventoryConfig, startInventoryService } from '@shop/inventory-service';
import { loadNotificationConfig, startNotificationService } from '@shop/notification-service';
import { loadOrderConfig, startOrderService } from '@shop/order-service';
import { loadPaymentConfig, startPaymentService } from '@shop/payment-service';
import type { StartedService } from '@shop/service-kit';
import { eventually } from '@shop/testkit';

export interface SecuredSaga {
  readonly inventoryPort: number;
  readonly orderPort: number;
  readonly notificationPort: number;
  /** The order placed through the secured services, COMPLETED. */
  readonly orderId: string;
  stop(): Promise<void>;
}

export interface SecuredSagaOptions {
  readonly stack: Stack;
  readonly config: StackConfig;
  /** Each service's database: the stack's own, or a fresh one the caller drops. */
  readonly databaseUrlOf: (service: ServiceName) => Promise<string> | string;
  readonly adminToken: string;
  readonly productId: string;
}

/**
 * The four services on a secured stack, each connecting as its own SCRAM user, and one order
 * placed through them until it is COMPLETED: proof that every user's ACLs let it do its work.
 */
export async function runSecuredSaga(options: SecuredSagaOptions): Promise<SecuredSaga> {
  const { stack, config, adminToken, productId } = options;
  const started: StartedService[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  const envOf = async (service: ServiceName, own: Partial<ServiceWiring> = {}) =>
    serviceEnv(service, {
      bootstrapServers: stack.endpoints().bootstrapServers,
      databaseUrl: await options.databaseUrlOf(service),
      httpPort: 0,
      logLevel: 'warn',
      kafkaSecurity: config.kafka.security,
      ...own,
    });
  try {
    const inventory = await startInventoryService(
      loadInventoryConfig(await envOf('inventory-service', { adminToken })),
    );
    started.push(inventory);
    const order = await startOrderService(
      loadOrderConfig(await envOf('order-service', { inventoryPort: inventory.port })),
    );
    started.push(order);
    started.push(await startPaymentService(loadPaymentConfig(await envOf('payment-service'))));
    const notification = await startNotificationService(
      loadNotificationConfig(await envOf('notification-service')),
    );
    started.push(notification);

    await fetch(`http://127.0.0.1:${inventory.port}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ id: productId, name: 'Secured', priceCents: 100, initialStock: 3 }),
    });
    const res = await fetch(`http://127.0.0.1:${order.port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'sam', lines: [{ productId, quantity: 1 }] }),
    });
    const { id } = (await res.json()) as { id: string };
    await eventually(
      async () =>
        (
          (await (await fetch(`http://127.0.0.1:${order.port}/orders/${id}`)).json()) as {
            status: string;
          }
        ).status === 'COMPLETED',
      150_000,
      'the order to be completed over SCRAM',
    );
    return {
      inventoryPort: inventory.port,
      orderPort: order.port,
      notificationPort: notification.port,
      orderId: id,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
