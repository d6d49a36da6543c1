import { InvalidStockOperationError } from './stock.errors';

export interface ProductState {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: number;
  readonly reserved: number;
  readonly sold: number;
  readonly initialStock: number;
  readonly restocked: number;
}

/**
 * A product's stock in three buckets. Every movement keeps
 * `available + reserved + sold == initialStock + restocked`, and no bucket below zero.
 */
export class Product {
  private constructor(private state: ProductState) {}

  static create(input: {
    id: string;
    name: string;
    priceCents: number;
    initialStock: number;
  }): Product {
    if (!Number.isInteger(input.initialStock) || input.initialStock < 0) {
      throw new InvalidStockOperationError(
        `initial stock must be a whole number ≥ 0, got ${input.initialStock}`,
      );
    }
    return new Product({
      ...input,
      available: input.initialStock,
      reserved: 0,
      sold: 0,
      restocked: 0,
    });
  }

  static restore(state: ProductState): Product {
    return new Product(state);
  }

  get snapshot(): ProductState {
    return this.state;
  }

  get id(): string {
    return this.state.id;
  }

  get available(): number {
    return this.state.available;
  }

  reserve(quantity: number): void {
    this.requirePositive(quantity, 'reserve');
    if (quantity > this.state.available) {
      throw new InvalidStockOperationError(
        `cannot reserve ${quantity} of ${this.id}: ${this.state.available} available`,
      );
    }
    this.state = {
      ...this.state,
      available: this.state.available - quantity,
      reserved: this.state.reserved + quantity,
    };
  }

  /** A reservation given back: reserved → available. */
  release(quantity: number): void {
    this.requirePositive(quantity, 'release');
    if (quantity > this.state.reserved) {
      throw new InvalidStockOperationError(
        `cannot release ${quantity} of ${this.id}: ${this.state.reserved} reserved`,
      );
    }
    this.state = {
      ...this.state,
      available: this.state.available + quantity,
      reserved: this.state.reserved - quantity,
    };
  }

  /** Paid for: reserved → sold. */
  deduct(quantity: number): void {
    this.requirePositive(quantity, 'deduct');
    if (quantity > this.state.reserved) {
      throw new InvalidStockOperationError(
        `cannot deduct ${quantity} of ${this.id}: ${this.state.reserved} reserved`,
      );
    }
    this.state = {
      ...this.state,
      reserved: this.state.reserved - quantity,
      sold: this.state.sold + quantity,
    };
  }

  /** A sale undone (the order was cancelled after payment): sold → available. */
  returnSold(quantity: number): void {
    this.requirePositive(quantity, 'return');
    if (quantity > this.state.sold) {
      throw new InvalidStockOperationError(
        `cannot return ${quantity} of ${this.id}: ${this.state.sold} sold`,
      );
    }
    this.state = {
      ...this.state,
      sold: this.state.sold - quantity,
      available: this.state.available + quantity,
    };
  }

  restock(quantity: number): void {
    this.requirePositive(quantity, 'restock');
    this.state = {
      ...this.state,
      available: this.state.available + quantity,
      restocked: this.state.restocked + quantity,
    };
  }

  /** What breaks the stock equation, if anything. */
  violations(): string[] {
    const s = this.state;
    const found: string[] = [];
    for (const bucket of ['available', 'reserved', 'sold'] as const) {
      if (s[bucket] < 0) found.push(`${s.id}: ${bucket} is ${s[bucket]}`);
    }
    if (s.available + s.reserved + s.sold !== s.initialStock + s.restocked) {
      found.push(
        `${s.id}: available ${s.available} + reserved ${s.reserved} + sold ${s.sold} != initial ${s.initialStock} + restocked ${s.restocked}`,
      );
    }
    return found;
  }

  private requirePositive(quantity: number, what: string): void {
    if (!Number.isInteger(quantity) || quantity <= 0) {
      throw new InvalidStockOperationError(
        `cannot ${what} ${quantity} of ${this.id}: quantity must be a whole number > 0`,
      );
    }
  }
}
