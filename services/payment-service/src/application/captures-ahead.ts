import type { Envelope } from '@shop/contracts';
import { captureRequestOf } from './payment-saga';
import type { CaptureResult, HeldCapture, PaymentGateway, PaymentUnitOfWork } from './ports';

/** An answer nobody asked for again by then (its handler ran elsewhere after a rebalance). */
const FORGET_AFTER_MS = 60_000;

interface Ahead {
  readonly result: Promise<CaptureResult>;
  readonly startedAt: number;
}

/**
 * Takes a chunk's captures all at once before its handlers run (issue 15): a partition's records
 * are handled one after another, and each waited for its gateway round trip in turn. The
 * handlers then find their answer here. Nothing about the outcome moves: a capture is idempotent
 * by key, so the answer is the one the handler's own call would get, and each handler still
 * decides under its order's lock. An order cancelled between the two is refunded by its handler,
 * as a capture whose transaction failed is; to make sure the handler sees that capture,
 * `findCapture` waits for one still in flight.
 */
export class CapturesAhead implements PaymentGateway {
  private readonly ahead = new Map<string, Ahead>();

  constructor(private readonly gateway: PaymentGateway) {}

  /** Captures for the chunk's payment requests whose orders have no payment and no cancel yet. */
  async takeFor(uow: PaymentUnitOfWork, events: readonly Envelope[]): Promise<void> {
    const requested = events.filter(
      (e): e is Envelope<'PaymentRequested'> => e.eventType === 'PaymentRequested',
    );
    if (requested.length < 2) return; // one capture has nothing to overlap with
    this.forgetOld();
    const payable = await uow.payableOrders(requested.map((e) => e.payload.orderId));
    const started = requested
      .filter((e) => payable.has(e.payload.orderId))
      .map((e) => this.start(captureRequestOf(e)));
    // Failures are the handler's to meet when it takes its answer.
    await Promise.allSettled(started);
  }

  capture(request: Parameters<PaymentGateway['capture']>[0]): Promise<CaptureResult> {
    const ahead = this.ahead.get(request.idempotencyKey);
    if (!ahead) return this.gateway.capture(request);
    this.ahead.delete(request.idempotencyKey);
    return ahead.result;
  }

  async findCapture(idempotencyKey: string): Promise<HeldCapture | undefined> {
    const ahead = this.ahead.get(idempotencyKey);
    if (ahead) {
      this.ahead.delete(idempotencyKey);
      await ahead.result.catch(() => undefined);
    }
    return this.gateway.findCapture(idempotencyKey);
  }

  refund(request: Parameters<PaymentGateway['refund']>[0]): Promise<{ reference: string }> {
    return this.gateway.refund(request);
  }

  private start(request: Parameters<PaymentGateway['capture']>[0]): Promise<CaptureResult> {
    const running = this.ahead.get(request.idempotencyKey);
    if (running) return running.result;
    const result = this.gateway.capture(request);
    this.ahead.set(request.idempotencyKey, { result, startedAt: Date.now() });
    return result;
  }

  private forgetOld(): void {
    const before = Date.now() - FORGET_AFTER_MS;
    for (const [key, { startedAt }] of this.ahead) if (startedAt < before) this.ahead.delete(key);
  }
}
