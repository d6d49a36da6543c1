import { BusinessError } from '@shop/contracts';
import { Product, type ProductState } from './product';
import {
  InvalidStockOperationError,
  ProductAlreadyExistsError,
  ProductNotFoundError,
  ReservationNotFoundError,
} from './stock.errors';

const keyboard = (initialStock = 5) =>
  Product.create({ id: 'KB', name: 'Keyboard', priceCents: 8_900, initialStock });

const state = (overrides: Partial<ProductState>): ProductState => ({
  id: 'KB',
  name: 'Keyboard',
  priceCents: 8_900,
  available: 5,
  reserved: 0,
  sold: 0,
  initialStock: 5,
  restocked: 0,
  ...overrides,
});

describe('Product.create', () => {
  it('starts with all its stock available', () => {
    expect(keyboard(5).snapshot).toEqual(state({}));
  });

  it('accepts a product with no stock yet', () => {
    expect(keyboard(0).snapshot).toMatchObject({ available: 0, initialStock: 0 });
  });

  it.each([
    [-1, 'initial stock must be a whole number ≥ 0, got -1'],
    [2.5, 'initial stock must be a whole number ≥ 0, got 2.5'],
  ])('refuses an initial stock of %s', (initialStock, message) => {
    expect(() => keyboard(initialStock)).toThrow(new InvalidStockOperationError(message));
  });
});

describe('Product movements', () => {
  // The message is what the HTTP caller and the logs see: it names the move, the product and
  // the quantity that was short.
  it.each([
    ['reserve', (p: Product) => p.reserve(6), 'cannot reserve 6 of KB: 5 available'],
    ['release', (p: Product) => p.release(1), 'cannot release 1 of KB: 0 reserved'],
    ['deduct', (p: Product) => p.deduct(1), 'cannot deduct 1 of KB: 0 reserved'],
    ['return', (p: Product) => p.returnSold(1), 'cannot return 1 of KB: 0 sold'],
  ])('refuses to %s more than there is, saying why', (_, act, message) => {
    const p = keyboard(5);
    expect(() => act(p)).toThrow(new InvalidStockOperationError(message));
  });

  it.each([
    ['reserve', (p: Product) => p.reserve(0), 0],
    ['release', (p: Product) => p.release(-1), -1],
    ['deduct', (p: Product) => p.deduct(1.5), 1.5],
    ['return', (p: Product) => p.returnSold(0), 0],
    ['restock', (p: Product) => p.restock(-2), -2],
  ])('refuses to %s a quantity that is not a whole number > 0', (what, act, quantity) => {
    const p = keyboard(5);
    expect(() => act(p)).toThrow(
      new InvalidStockOperationError(
        `cannot ${what} ${quantity} of KB: quantity must be a whole number > 0`,
      ),
    );
    expect(p.snapshot).toEqual(state({}));
  });
});

describe('Product.violations', () => {
  it('finds nothing in a consistent product', () => {
    expect(
      Product.restore(state({ available: 1, reserved: 2, sold: 3, restocked: 1 })).violations(),
    ).toEqual([]);
  });

  it('reports each bucket below zero', () => {
    const p = Product.restore(state({ available: 7, reserved: -1, sold: -1 }));
    expect(p.violations()).toEqual(['KB: reserved is -1', 'KB: sold is -1']);
  });

  it('reports stock that appeared or vanished', () => {
    const p = Product.restore(state({ available: 4, reserved: 2, sold: 1, restocked: 1 }));
    expect(p.violations()).toEqual([
      'KB: available 4 + reserved 2 + sold 1 != initial 5 + restocked 1',
    ]);
    expect(Product.restore(state({ available: 3, reserved: 1 })).violations()).toHaveLength(1);
  });
});

describe('stock errors', () => {
  // The consumers skip a BusinessError instead of retrying it: these are all answers, not faults.
  it.each([
    [new ProductNotFoundError('KB'), 'Product not found: KB'],
    [new ProductAlreadyExistsError('KB'), 'Product already exists: KB'],
    [
      new ReservationNotFoundError('o-1'),
      'Reservation not found for order o-1: no active reservation',
    ],
    [
      new ReservationNotFoundError('o-1', 'reservation is RELEASED'),
      'Reservation not found for order o-1: reservation is RELEASED',
    ],
  ])('%s is a business error saying what is missing', (error, message) => {
    expect(error).toBeInstanceOf(BusinessError);
    expect(error.message).toBe(message);
  });
});
