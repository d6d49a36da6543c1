import { Product } from '../domain/product';
import { ProductAlreadyExistsError, ProductNotFoundError } from '../domain/stock.errors';
import type { TransactionRunner } from './ports';

/** The admin side of the catalog and the read side for everyone. */
export class Catalog {
  constructor(private readonly transactions: TransactionRunner) {}

  addProduct(input: {
    id: string;
    name: string;
    priceCents: number;
    initialStock: number;
  }): Promise<Product> {
    return this.transactions.run(async (uow) => {
      const product = Product.create(input);
      if (!(await uow.products.insert(product))) throw new ProductAlreadyExistsError(input.id);
      return product;
    });
  }

  restock(productId: string, quantity: number): Promise<Product> {
    return this.transactions.run(async (uow) => {
      const product = (await uow.products.findManyForUpdate([productId])).get(productId);
      if (!product) throw new ProductNotFoundError(productId);
      product.restock(quantity);
      await uow.products.update([product]);
      return product;
    });
  }

  async get(productId: string): Promise<Product> {
    const product = await this.transactions.run((uow) => uow.products.findById(productId));
    if (!product) throw new ProductNotFoundError(productId);
    return product;
  }

  list(limit: number, offset: number): Promise<{ products: Product[]; total: number }> {
    return this.transactions.run((uow) => uow.products.list(limit, offset));
  }

  findMany(ids: readonly string[]): Promise<Product[]> {
    return this.transactions.run((uow) => uow.products.findMany(ids));
  }
}
