import { BENCH_PRODUCTS, SOLD_OUT } from './load';
import { BENCH_ADMIN_TOKEN } from './services';

/** Creates the benchmark's products through the admin API, as an operator would. */
export async function createBenchProducts(inventoryUrl: string): Promise<void> {
  const products = [
    ...BENCH_PRODUCTS.map((id, i) => ({ id, initialStock: 10_000_000, priceCents: 500 + i * 100 })),
    { id: SOLD_OUT, initialStock: 0, priceCents: 999 },
  ];
  for (const p of products) {
    const res = await fetch(`${inventoryUrl}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
      body: JSON.stringify({
        id: p.id,
        name: `Bench ${p.id}`,
        priceCents: p.priceCents,
        initialStock: p.initialStock,
      }),
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`creating ${p.id} answered ${res.status}: ${await res.text()}`);
  }
}
