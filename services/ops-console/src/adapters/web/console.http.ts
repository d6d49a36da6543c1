import Router from '@koa/router';
import type { Context } from 'koa';
import { HttpProblem } from '@shop/service-kit';
import type { DeadLetters } from '../../application/dead-letters';
import type { OrderTimelines } from '../../application/order-timeline';
import type { Orders, ReplayLog } from '../../application/ports';
import type { Redrive } from '../../application/redrive';
import type { SystemHealthReport } from '../../application/system-health';
import { deadLetterId, type DeadLetterRecord } from '../../domain/dead-letter';
import { safeNext, type CookieOptions } from './auth';
import { sameSecret, type CookieSigner } from './cookie-signer';
import {
  InvalidFilterError,
  describeFilter,
  filterFieldsOf,
  queryOf,
  type FilterFields,
} from './dead-letter-filter';
import type { SafeHtml } from './html';
import { deadLetterPage } from './pages/dead-letter';
import { deadLettersPage } from './pages/dead-letters';
import type { PageContext } from './pages/layout';
import { loginPage } from './pages/login';
import { redrivePlanPage } from './pages/redrive';
import { replayPage, replaysPage } from './pages/replays';
import { statusPage } from './pages/status';
import { stuckPage } from './pages/stuck';
import { CONSOLE_CSS } from './pages/style';
import { timelinePage, timelineSearchPage } from './pages/timeline';
import { SESSION_COOKIE, writeSession } from './session';

/** The most stuck orders one page shows; order-service lists the longest waiting first. */
const STUCK_LIMIT = 200;

export interface ConsoleUseCases {
  readonly deadLetters: DeadLetters;
  readonly redrive: Redrive;
  readonly replays: ReplayLog;
  readonly timelines: OrderTimelines;
  readonly health: SystemHealthReport;
  readonly orders: Orders;
}

export interface ConsoleWebOptions {
  readonly signer: CookieSigner;
  readonly adminToken: string;
  readonly cookies: CookieOptions;
  readonly sessionMs: number;
}

const ORDER_ID = /^[\w.:-]{1,128}$/;

function pageOf(ctx: Context): PageContext {
  return {
    operator: ctx.state.operator as string | undefined,
    csrfToken: ctx.state.csrfToken as string,
  };
}

function send(ctx: Context, page: SafeHtml, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page.markup;
}

function formOf(ctx: Context): URLSearchParams {
  return ctx.state.form as URLSearchParams;
}

function filterOf(get: (name: string) => string | null | undefined): FilterFields {
  const fields = filterFieldsOf(get);
  try {
    queryOf(fields);
  } catch (err) {
    if (err instanceof InvalidFilterError) throw new HttpProblem(400, 'Bad Request', err.message);
    throw err;
  }
  return fields;
}

/** The plan's MAC: a replay is carried out only for the very records its dry run showed this operator. */
function planMac(options: ConsoleWebOptions, operator: string, ids: readonly string[]): string {
  return options.signer.mac('plan', `${operator}\n${ids.join(' ')}`);
}

export function consoleRouter(useCases: ConsoleUseCases, options: ConsoleWebOptions): Router {
  const router = new Router();
  const { deadLetters, redrive, replays, timelines, health, orders } = useCases;

  router.get('/static/console.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = CONSOLE_CSS;
  });

  // Browsers ask for it on every first visit; a 404 would be an error in their console.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 204;
  });

  router.get('/login', (ctx) => {
    send(ctx, loginPage(pageOf(ctx), safeNext(ctx.query.next as string | undefined), false));
  });
  router.post('/login', (ctx) => {
    const form = formOf(ctx);
    const operator = form.get('operator')?.trim().slice(0, 64);
    if (!operator || !sameSecret(form.get('token') ?? '', options.adminToken)) {
      send(ctx, loginPage(pageOf(ctx), safeNext(form.get('next')), true), 401);
      return;
    }
    ctx.cookies.set(
      SESSION_COOKIE,
      writeSession(options.signer, { operator, expiresAt: Date.now() + options.sessionMs }),
      {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.cookies.secure,
        maxAge: options.sessionMs,
        overwrite: true,
      },
    );
    ctx.redirect(safeNext(form.get('next')));
    ctx.status = 303;
  });
  router.post('/logout', (ctx) => {
    ctx.cookies.set(SESSION_COOKIE, '', { maxAge: 0, overwrite: true });
    ctx.redirect('/login');
    ctx.status = 303;
  });

  router.get('/', (ctx) => ctx.redirect('/dead-letters'));

  router.get('/dead-letters', (ctx) => {
    const fields = filterOf((name) => ctx.query[name] as string | undefined);
    send(
      ctx,
      deadLettersPage(pageOf(ctx), deadLetters.list(queryOf(fields)), fields, (r) =>
        deadLetters.isParked(r),
      ),
    );
  });
  router.get('/dead-letters/:topic/:partition/:offset', async (ctx) => {
    const { topic, partition, offset } = ctx.params as {
      topic: string;
      partition: string;
      offset: string;
    };
    const detail = await deadLetters.detail(deadLetterId(topic, Number(partition), offset));
    if (!detail)
      throw new HttpProblem(404, 'Not Found', `no dead letter at ${topic}/${partition}/${offset}`);
    send(ctx, deadLetterPage(pageOf(ctx), detail, redrive.targetOf(detail.record)));
  });

  router.post('/redrive/plan', async (ctx) => {
    const form = formOf(ctx);
    let records: DeadLetterRecord[];
    let scope: string;
    if (form.get('scope') === 'filter') {
      const fields = filterOf((name) => form.get(name));
      records = [...deadLetters.list(queryOf(fields)).records];
      scope = `all matching ${describeFilter(fields)}`;
    } else {
      records = deadLetters.byIds(form.getAll('record'));
      scope = form.get('scope') === 'one' ? 'one record' : `${records.length} selected`;
    }
    if (records.length === 0) throw new HttpProblem(400, 'Bad Request', 'no dead letter selected');
    const plan = await redrive.plan(records);
    const mac = planMac(
      options,
      ctx.state.operator as string,
      plan.toSend.map((r) => r.id),
    );
    send(
      ctx,
      redrivePlanPage(pageOf(ctx), plan, scope, mac, (r) => redrive.targetOf(r)),
    );
  });
  router.post('/redrive', async (ctx) => {
    const form = formOf(ctx);
    const operator = ctx.state.operator as string;
    const ids = (form.get('records') ?? '').split(' ').filter(Boolean);
    if (
      ids.length === 0 ||
      !options.signer.verify('plan', `${operator}\n${ids.join(' ')}`, form.get('plan') ?? '')
    ) {
      throw new HttpProblem(
        400,
        'Bad Request',
        'replay only what a dry run showed: run the dry run first',
      );
    }
    const records = deadLetters.byIds(ids);
    const replayId = await redrive.execute({
      operator,
      scope: (form.get('scope') ?? '').slice(0, 300),
      records,
    });
    ctx.redirect(`/replays/${replayId}`);
    ctx.status = 303;
  });

  router.get('/replays', async (ctx) => {
    send(ctx, replaysPage(pageOf(ctx), await replays.recent(200)));
  });
  router.get('/replays/:id', async (ctx) => {
    const id = (ctx.params as Record<string, string>).id!;
    const replay = /^[\da-f-]{36}$/.test(id) ? await replays.find(id) : undefined;
    if (!replay) throw new HttpProblem(404, 'Not Found', `no replay ${id}`);
    send(ctx, replayPage(pageOf(ctx), replay));
  });

  router.get('/orders', (ctx) => {
    const id = (ctx.query.id as string | undefined)?.trim();
    if (id) {
      ctx.redirect(`/orders/${encodeURIComponent(id)}`);
      return;
    }
    send(ctx, timelineSearchPage(pageOf(ctx)));
  });
  router.get('/orders/:id', async (ctx) => {
    const id = (ctx.params as Record<string, string>).id!;
    if (!ORDER_ID.test(id))
      throw new HttpProblem(400, 'Bad Request', 'an order id is letters, digits, . : _ -');
    send(ctx, timelinePage(pageOf(ctx), await timelines.of(id)));
  });

  router.get('/stuck', async (ctx) => {
    const stuck = await orders.stuck(STUCK_LIMIT).catch((err: Error) => ({ error: err.message }));
    send(ctx, stuckPage(pageOf(ctx), stuck, new Date()));
  });

  router.get('/status', async (ctx) => {
    send(ctx, statusPage(pageOf(ctx), await health.now()));
  });
  return router;
}
