import { BusinessError } from '@shop/contracts';

export class UnknownProductsError extends BusinessError {
  constructor(readonly productIds: readonly string[]) {
    super(`Unknown product(s): ${productIds.join(', ')}`);
  }
}

export class IdempotencyKeyReusedError extends BusinessError {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with a different request`);
  }
}

/** The product catalog could not be asked; the request may be retried later. */
export class CatalogUnavailableError extends Error {
  override readonly name = 'CatalogUnavailableError';
}
