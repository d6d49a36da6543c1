import { CatalogUnavailableError } from '../../application/application.errors';
import type { ProductCatalog } from '../../application/ports';

/** Asks inventory-service which products exist, over its HTTP API. */
export class InventoryCatalogClient implements ProductCatalog {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 2_000,
  ) {}

  async unknownProducts(productIds: readonly string[]): Promise<string[]> {
    if (productIds.length === 0) return [];
    const url = new URL('/products', this.baseUrl);
    url.searchParams.set('ids', productIds.join(','));
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new CatalogUnavailableError(`inventory-service unreachable: ${(err as Error).message}`);
    }
    if (!response.ok)
      throw new CatalogUnavailableError(`inventory-service answered ${response.status}`);
    const body = (await response.json()) as { items: Array<{ id: string }> };
    const known = new Set(body.items.map((p) => p.id));
    return productIds.filter((id) => !known.has(id));
  }
}
