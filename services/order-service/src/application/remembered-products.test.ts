import { RememberedProducts } from './remembered-products';
import type { ProductCatalog } from './ports';

/** Inventory's answers, in memory, with every question it was asked. */
function inventoryKnowing(...products: string[]) {
  const known = new Set(products);
  const asked: string[][] = [];
  const catalog: ProductCatalog = {
    unknownProducts: async (ids) => {
      asked.push([...ids]);
      return ids.filter((id) => !known.has(id));
    },
  };
  return { catalog, asked, add: (id: string) => known.add(id) };
}

function clockAt(ms: number) {
  const clock = { ms, now: () => new Date(clock.ms) };
  return clock;
}

describe('RememberedProducts', () => {
  it('asks inventory only about products it has not confirmed within the time to live', async () => {
    const inventory = inventoryKnowing('A', 'B');
    const clock = clockAt(0);
    const catalog = new RememberedProducts(inventory.catalog, clock, 60_000);

    expect(await catalog.unknownProducts(['A'])).toEqual([]);
    clock.ms = 59_999;
    expect(await catalog.unknownProducts(['A', 'B'])).toEqual([]);
    expect(await catalog.unknownProducts(['B', 'A'])).toEqual([]);

    expect(inventory.asked).toEqual([['A'], ['B']]);
  });

  it('asks again once the time to live has passed', async () => {
    const inventory = inventoryKnowing('A');
    const clock = clockAt(0);
    const catalog = new RememberedProducts(inventory.catalog, clock, 60_000);

    await catalog.unknownProducts(['A']);
    clock.ms = 60_000;
    await catalog.unknownProducts(['A']);

    expect(inventory.asked).toEqual([['A'], ['A']]);
  });

  it('never remembers an unknown product, so one added a moment later is accepted', async () => {
    const inventory = inventoryKnowing();
    const catalog = new RememberedProducts(inventory.catalog, clockAt(0), 60_000);

    expect(await catalog.unknownProducts(['NEW'])).toEqual(['NEW']);
    inventory.add('NEW');
    expect(await catalog.unknownProducts(['NEW'])).toEqual([]);

    expect(inventory.asked).toEqual([['NEW'], ['NEW']]);
  });

  it('keeps at most its bound of products, forgetting the one that expires soonest', async () => {
    const inventory = inventoryKnowing('A', 'B', 'C');
    const clock = clockAt(0);
    const catalog = new RememberedProducts(inventory.catalog, clock, 60_000, 2);

    await catalog.unknownProducts(['A']);
    clock.ms = 1;
    await catalog.unknownProducts(['B']);
    clock.ms = 2;
    await catalog.unknownProducts(['C']);
    inventory.asked.length = 0;
    await catalog.unknownProducts(['B', 'C']);
    await catalog.unknownProducts(['A']);

    expect(inventory.asked).toEqual([['A']]);
  });

  it('passes on that inventory cannot be asked', async () => {
    const unavailable = new Error('inventory-service unreachable');
    const catalog = new RememberedProducts(
      { unknownProducts: () => Promise.reject(unavailable) },
      clockAt(0),
      60_000,
    );

    await expect(catalog.unknownProducts(['A'])).rejects.toBe(unavailable);
  });
});
