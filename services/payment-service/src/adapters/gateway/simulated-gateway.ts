import crypto from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { TransientError } from '@shop/messaging';
import type { CaptureResult, PaymentGateway } from '../../application/ports';

export interface SimulatedGatewaySettings {
  /** How long every call takes. */
  readonly latencyMs: number;
  /** Payment method references that are always declined (e.g. tok_declined). */
  readonly declineReferences: readonly string[];
  /** Amounts above this are declined. */
  readonly declineAboveCents: number;
  /** Share of calls that fail like an unreachable provider (0..1). */
  readonly transientFailureRate: number;
  /** A reference whose first two capture attempts per order fail transiently (drives the retry path). */
  readonly flakyReference: string;
}

/** The provider's unreachable moment: retried by the messaging kit. */
export class GatewayUnavailableError extends TransientError {}

/**
 * A payment provider simulated in-process. Its books (gateway_ledger) are written outside the
 * caller's transaction, as a real provider's would be, and are idempotent by key: a capture or
 * refund that is asked for again returns the first answer and never moves money twice.
 */
export class SimulatedGateway implements PaymentGateway {
  private readonly flakyAttempts = new Map<string, number>();

  constructor(
    private readonly sequelize: Sequelize,
    private readonly settings: SimulatedGatewaySettings,
  ) {}

  async capture(request: Parameters<PaymentGateway['capture']>[0]): Promise<CaptureResult> {
    await this.call();
    if (request.method.reference === this.settings.flakyReference) {
      const attempts = (this.flakyAttempts.get(request.orderId) ?? 0) + 1;
      this.flakyAttempts.set(request.orderId, attempts);
      if (attempts <= 2)
        throw new GatewayUnavailableError(`gateway timed out (attempt ${attempts})`);
    }
    const earlier = await this.entry(request.idempotencyKey);
    if (earlier) {
      return earlier.kind === 'capture'
        ? { approved: true, reference: earlier.reference }
        : { approved: false, reason: earlier.reason ?? 'declined' };
    }
    const reason = this.declineReason(request.amountCents, request.method.reference);
    const reference = `${reason ? 'dcl' : 'cap'}_${crypto.randomBytes(8).toString('hex')}`;
    const stored = await this.record(
      request.idempotencyKey,
      reason ? 'decline' : 'capture',
      request.orderId,
      request.amountCents,
      reference,
      reason,
    );
    return stored.kind === 'capture'
      ? { approved: true, reference: stored.reference }
      : { approved: false, reason: stored.reason ?? 'declined' };
  }

  async refund(request: Parameters<PaymentGateway['refund']>[0]): Promise<{ reference: string }> {
    await this.call();
    const [capture] = await this.sequelize.query<{ order_id: string; amount_cents: number }>(
      `SELECT order_id, amount_cents FROM gateway_ledger WHERE reference = $1 AND kind = 'capture'`,
      { bind: [request.captureReference], type: QueryTypes.SELECT },
    );
    if (!capture) throw new Error(`gateway knows no capture ${request.captureReference}`);
    const reference = `ref_${crypto.randomBytes(8).toString('hex')}`;
    const stored = await this.record(
      request.idempotencyKey,
      'refund',
      capture.order_id,
      request.amountCents,
      reference,
      undefined,
    );
    return { reference: stored.reference };
  }

  private declineReason(amountCents: number, reference: string): string | undefined {
    if (this.settings.declineReferences.includes(reference)) return 'card declined';
    if (amountCents > this.settings.declineAboveCents) return 'amount exceeds card limit';
    return undefined;
  }

  private async call(): Promise<void> {
    if (this.settings.latencyMs > 0)
      await new Promise((r) => setTimeout(r, this.settings.latencyMs));
    if (Math.random() < this.settings.transientFailureRate)
      throw new GatewayUnavailableError('gateway unavailable (simulated)');
  }

  private async entry(key: string) {
    const [row] = await this.sequelize.query<{
      kind: string;
      reference: string;
      reason: string | null;
    }>('SELECT kind, reference, reason FROM gateway_ledger WHERE idempotency_key = $1', {
      bind: [key],
      type: QueryTypes.SELECT,
    });
    return row;
  }

  /** Writes once per key; a concurrent second writer gets the first one's entry. */
  private async record(
    key: string,
    kind: string,
    orderId: string,
    amountCents: number,
    reference: string,
    reason: string | undefined,
  ) {
    await this.sequelize.query(
      `INSERT INTO gateway_ledger (idempotency_key, kind, order_id, amount_cents, reference, reason)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
      { bind: [key, kind, orderId, amountCents, reference, reason ?? null] },
    );
    return (await this.entry(key))!;
  }
}
