import Router from '@koa/router';
import { HttpProblem } from '@shop/service-kit';
import type { Product } from '../../domain/product';
import {
  InvalidStockOperationError,
  ProductAlreadyExistsError,
  ProductNotFoundError,
} from '../../domain/stock.errors';
import type { Catalog } from '../../application/catalog';
import type { ReconcileStock } from '../../application/reconcile-stock';
import { requireAdminToken } from './admin-token';
import { AddProductRequest, ListProductsQuery, RestockRequest } from './product.request';

export function productRouter(
  catalog: Catalog,
  reconcile: ReconcileStock,
  adminToken: string,
): Router {
  const router = new Router();
  const admin = requireAdminToken(adminToken);

  router.get('/products', async (ctx) => {
    const query = ListProductsQuery.parse(ctx.query);
    if (query.ids) {
      const products = await catalog.findMany(query.ids);
      ctx.body = { items: products.map(present), total: products.length };
      return;
    }
    const { products, total } = await catalog.list(query.limit, query.offset);
    ctx.body = { items: products.map(present), total, limit: query.limit, offset: query.offset };
  });

  router.get('/products/:id', async (ctx) => {
    ctx.body = present(await catalog.get(String(ctx.params.id)));
  });

  router.post('/products', admin, async (ctx) => {
    const product = await catalog.addProduct(AddProductRequest.parse(ctx.request.body ?? {}));
    ctx.status = 201;
    ctx.set('Location', `/products/${encodeURIComponent(product.id)}`);
    ctx.body = present(product);
  });

  router.post('/products/:id/restock', admin, async (ctx) => {
    const { quantity } = RestockRequest.parse(ctx.request.body ?? {});
    ctx.body = present(await catalog.restock(String(ctx.params.id), quantity));
  });

  router.get('/reconciliation', async (ctx) => {
    const report = await reconcile.run();
    ctx.status = report.ok ? 200 : 409;
    ctx.body = report;
  });

  return router;
}

export function productProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof ProductNotFoundError)
    return new HttpProblem(404, 'Not Found', error.message);
  if (error instanceof ProductAlreadyExistsError)
    return new HttpProblem(409, 'Conflict', error.message);
  if (error instanceof InvalidStockOperationError)
    return new HttpProblem(422, 'Invalid Stock Operation', error.message);
  return undefined;
}

function present(product: Product) {
  const p = product.snapshot;
  return {
    id: p.id,
    name: p.name,
    priceCents: p.priceCents,
    available: p.available,
    reserved: p.reserved,
    sold: p.sold,
    initialStock: p.initialStock,
    restocked: p.restocked,
  };
}
