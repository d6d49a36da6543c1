import { BusinessError } from '@shop/contracts';

export class ProductNotFoundError extends BusinessError {
  constructor(readonly productId: string) {
    super(`Product not found: ${productId}`);
  }
}

export class ProductAlreadyExistsError extends BusinessError {
  constructor(readonly productId: string) {
    super(`Product already exists: ${productId}`);
  }
}

/** A stock movement that would break `available + reserved + sold == initial + restocked` or go negative. */
export class InvalidStockOperationError extends BusinessError {}

/** No active reservation for the order: nothing to deduct or restore. */
export class ReservationNotFoundError extends BusinessError {
  constructor(
    readonly orderId: string,
    detail = 'no active reservation',
  ) {
    super(`Reservation not found for order ${orderId}: ${detail}`);
  }
}
