import { BusinessError } from '@shop/contracts';
import {
  IllegalOrderTransitionError,
  OrderNotCancellableError,
  OrderNotFoundError,
  PaymentAlreadyRecordedError,
} from './order.errors';

describe('order errors', () => {
  // All are answers of the domain, not faults: a consumer skips them instead of retrying, and
  // the message is what the HTTP caller and the logs see.
  it.each([
    [new OrderNotFoundError('o-1'), 'Order not found: o-1'],
    [
      new IllegalOrderTransitionError('o-1', 'COMPLETED', 'StockRestored'),
      'Order o-1 is COMPLETED: StockRestored does not apply',
    ],
    [
      new OrderNotCancellableError('o-1', 'COMPLETED'),
      'Order o-1 is COMPLETED and can no longer be cancelled',
    ],
    [
      new PaymentAlreadyRecordedError('o-1', 'pay-1', 'pay-2'),
      'Order o-1 already has payment pay-1: payment pay-2 is refused',
    ],
  ])('%s is a business error that says why', (error, message) => {
    expect(error).toBeInstanceOf(BusinessError);
    expect(error.message).toBe(message);
  });
});
