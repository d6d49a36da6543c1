import type { Catalog } from './catalog';
import { ProductAlreadyExistsError } from '../domain/stock.errors';

/** The products `npm start` and `npm run demo` sell; added once, left alone afterwards. */
export const DEMO_PRODUCTS = [
  { id: 'PROD-001', name: 'Mechanical keyboard', priceCents: 8_900, initialStock: 5_000 },
  { id: 'PROD-002', name: 'Wireless mouse', priceCents: 2_900, initialStock: 5_000 },
  { id: 'PROD-003', name: 'USB-C hub', priceCents: 4_500, initialStock: 3_000 },
  { id: 'PROD-004', name: '27" monitor', priceCents: 27_900, initialStock: 1_000 },
  { id: 'PROD-005', name: 'Laptop stand', priceCents: 3_900, initialStock: 2_000 },
  { id: 'PROD-006', name: 'Noise-cancelling headphones', priceCents: 19_900, initialStock: 800 },
  { id: 'PROD-007', name: 'Webcam', priceCents: 6_900, initialStock: 1_200 },
  { id: 'PROD-008', name: 'Limited edition desk mat', priceCents: 2_500, initialStock: 25 },
];

export async function seedDemoCatalog(catalog: Catalog): Promise<number> {
  let added = 0;
  for (const p of DEMO_PRODUCTS) {
    try {
      await catalog.addProduct(p);
      added++;
    } catch (err) {
      if (!(err instanceof ProductAlreadyExistsError)) throw err;
    }
  }
  return added;
}
