import { Product } from './product';
import { Reservation } from './reservation';
import { InvalidStockOperationError, ReservationNotFoundError } from './stock.errors';

const catalog = () =>
  new Map([
    ['KB', Product.create({ id: 'KB', name: 'Keyboard', priceCents: 8_900, initialStock: 10 })],
    ['MS', Product.create({ id: 'MS', name: 'Mouse', priceCents: 2_900, initialStock: 1 })],
  ]);

describe('Product', () => {
  it('keeps available + reserved + sold == initial + restocked through every movement', () => {
    const p = Product.create({ id: 'P', name: 'p', priceCents: 100, initialStock: 5 });
    p.reserve(3);
    p.deduct(2);
    p.release(1);
    p.returnSold(1);
    p.restock(4);
    expect(p.snapshot).toMatchObject({ available: 8, reserved: 0, sold: 1, restocked: 4 });
    expect(p.violations()).toEqual([]);
  });

  it.each([
    ['reserve more than available', (p: Product) => p.reserve(6)],
    ['release more than reserved', (p: Product) => p.release(1)],
    ['deduct more than reserved', (p: Product) => p.deduct(1)],
    ['return more than sold', (p: Product) => p.returnSold(1)],
    ['move a zero quantity', (p: Product) => p.reserve(0)],
    ['move a fractional quantity', (p: Product) => p.restock(1.5)],
  ])('refuses to %s', (_, act) => {
    const p = Product.create({ id: 'P', name: 'p', priceCents: 100, initialStock: 5 });
    expect(() => act(p)).toThrow(InvalidStockOperationError);
    expect(p.snapshot).toMatchObject({ available: 5, reserved: 0, sold: 0 });
  });
});

describe('Reservation', () => {
  it('reserves every line at its price, or none when any line is short', () => {
    const products = catalog();
    const ok = Reservation.reserve(
      'o1',
      [
        { productId: 'KB', quantity: 2 },
        { productId: 'MS', quantity: 1 },
      ],
      products,
    );
    expect(ok.kind).toBe('reserved');
    expect(ok.reservation.amountCents).toBe(2 * 8_900 + 2_900);
    expect(products.get('MS')!.snapshot).toMatchObject({ available: 0, reserved: 1 });

    const fresh = catalog();
    const short = Reservation.reserve(
      'o2',
      [
        { productId: 'KB', quantity: 2 },
        { productId: 'MS', quantity: 2 },
        { productId: 'NOPE', quantity: 1 },
      ],
      fresh,
    );
    expect(short).toMatchObject({
      kind: 'short',
      shortLines: [
        { productId: 'MS', requested: 2, available: 1 },
        { productId: 'NOPE', requested: 1, available: 0 },
      ],
    });
    expect(short.reservation.status).toBe('REJECTED');
    expect(fresh.get('KB')!.snapshot).toMatchObject({ available: 10, reserved: 0 });
  });

  it('adds up two lines of one product before checking', () => {
    const products = catalog();
    const outcome = Reservation.reserve(
      'o',
      [
        { productId: 'MS', quantity: 1 },
        { productId: 'MS', quantity: 1 },
      ],
      products,
    );
    expect(outcome.kind).toBe('short');
  });

  it('deducts once, and a cancel after payment returns the sold stock', () => {
    const products = catalog();
    const { reservation } = Reservation.reserve('o', [{ productId: 'KB', quantity: 2 }], products);
    reservation.deduct(products);
    expect(() => reservation.deduct(products)).toThrow(InvalidStockOperationError);
    expect(products.get('KB')!.snapshot).toMatchObject({ available: 8, reserved: 0, sold: 2 });
    reservation.restore(products);
    expect(reservation.status).toBe('RETURNED');
    expect(products.get('KB')!.snapshot).toMatchObject({ available: 10, reserved: 0, sold: 0 });
  });

  it('releases a reservation once; a second cancel finds nothing to restore', () => {
    const products = catalog();
    const { reservation } = Reservation.reserve('o', [{ productId: 'KB', quantity: 2 }], products);
    reservation.restore(products);
    expect(reservation.status).toBe('RELEASED');
    expect(() => reservation.restore(products)).toThrow(ReservationNotFoundError);
    expect(products.get('KB')!.snapshot).toMatchObject({ available: 10, reserved: 0 });
  });

  it('refuses to deduct for an order that got nothing reserved, saying why', () => {
    const products = catalog();
    const { reservation } = Reservation.reserve('o', [{ productId: 'MS', quantity: 5 }], products);
    expect(() => reservation.deduct(products)).toThrow(
      new InvalidStockOperationError('cannot deduct for order o: reservation is REJECTED'),
    );
    expect(reservation.status).toBe('REJECTED');
  });

  it('says what a second cancel found', () => {
    const products = catalog();
    const { reservation } = Reservation.reserve('o', [{ productId: 'KB', quantity: 2 }], products);
    reservation.restore(products);
    expect(() => reservation.restore(products)).toThrow(
      'Reservation not found for order o: reservation is RELEASED',
    );
  });

  it('names a product the reservation holds but the catalog lost', () => {
    const reservation = Reservation.restore({
      orderId: 'o',
      status: 'RESERVED',
      lines: [{ productId: 'GONE', quantity: 1, unitPriceCents: 100 }],
    });
    expect(() => reservation.deduct(catalog())).toThrow(
      new InvalidStockOperationError('reservation of o names unknown GONE'),
    );
  });
});
