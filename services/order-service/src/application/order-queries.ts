import { OrderNotFoundError } from '../domain/order.errors';
import type { Order } from '../domain/order';
import type { OrderQuery, TransactionRunner } from './ports';

export class OrderQueries {
  constructor(private readonly transactions: TransactionRunner) {}

  async get(orderId: string): Promise<Order> {
    const order = await this.transactions.run((uow) => uow.orders.findById(orderId));
    if (!order) throw new OrderNotFoundError(orderId);
    return order;
  }

  list(query: OrderQuery): Promise<{ orders: Order[]; total: number }> {
    return this.transactions.run((uow) => uow.orders.list(query));
  }
}
