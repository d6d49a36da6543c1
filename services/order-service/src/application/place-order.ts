import crypto from 'node:crypto';
import { Order, type OrderLine, type PaymentMethod } from '../domain/order';
import { IdempotencyKeyReusedError, UnknownProductsError } from './application.errors';
import { toEnvelopes } from './order-events';
import type { OrderMetrics, ProductCatalog, TransactionRunner } from './ports';
import type { Clock } from './clock';

export interface PlaceOrderCommand {
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly paymentMethod: PaymentMethod;
  readonly idempotencyKey?: string;
  readonly requestId: string;
}

export interface PlaceOrderResult {
  readonly order: Order;
  /** True when an earlier request with the same Idempotency-Key made this order. */
  readonly replayed: boolean;
}

/** Writes the order (PENDING) and its OrderCreated event in one transaction. */
export class PlaceOrder {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly catalog: ProductCatalog,
    private readonly clock: Clock,
    private readonly metrics: OrderMetrics,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    const requestHash = hashOf(command);
    const unknown = await this.catalog.unknownProducts([
      ...new Set(command.lines.map((l) => l.productId)),
    ]);
    if (unknown.length > 0) throw new UnknownProductsError(unknown);

    return this.transactions.run(async (uow) => {
      const now = this.clock.now();
      const { order, events } = Order.place(
        {
          id: crypto.randomUUID(),
          customerId: command.customerId,
          lines: command.lines,
          paymentMethod: command.paymentMethod,
        },
        { name: 'OrderPlaced', id: command.requestId, at: now },
      );
      const key = command.idempotencyKey;
      const claim = await uow.orders.insert(
        order,
        key === undefined ? undefined : { key, requestHash },
      );
      if (!claim.claimed) {
        if (claim.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key!);
        return { order: (await uow.orders.findById(claim.orderId))!, replayed: true };
      }
      uow.afterCommit(() => this.metrics.orderPlaced());
      await uow.publish(
        ...toEnvelopes(
          order,
          events,
          { correlationId: command.requestId, causationId: command.requestId },
          now,
        ),
      );
      return { order, replayed: false };
    });
  }
}

/** The same key with the same body is the same request, whatever the JSON key order. */
function hashOf(command: PlaceOrderCommand): string {
  const canonical = JSON.stringify({
    customerId: command.customerId,
    lines: command.lines.map((l) => [l.productId, l.quantity]),
    paymentMethod: [command.paymentMethod.type, command.paymentMethod.reference],
  });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}
