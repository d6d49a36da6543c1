import crypto from 'node:crypto';
import { TransientError } from '@shop/messaging';
import type { CaptureResult, HeldCapture, PaymentGateway } from '../../application/ports';

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

/** One movement in the provider's books. */
export interface LedgerEntry {
  readonly kind: 'capture' | 'decline' | 'refund';
  readonly orderId: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly reference: string;
  readonly reason?: string;
}

/**
 * The provider's own books, kept apart from the gateway's behaviour so that behaviour can be
 * tested without a database. Idempotent by key, as a real provider's API is.
 */
export interface GatewayLedger {
  /** The entry written under this idempotency key, if any. */
  byKey(key: string): Promise<LedgerEntry | undefined>;
  /** The capture with this provider reference, if any. */
  captureByReference(reference: string): Promise<LedgerEntry | undefined>;
  /** Writes once per key; a concurrent second writer gets the first one's entry. */
  record(key: string, entry: LedgerEntry): Promise<LedgerEntry>;
}

/** The provider's unreachable moment: retried by the messaging kit. */
export class GatewayUnavailableError extends TransientError {}

/**
 * A payment provider simulated in-process. Its books (the ledger) are written outside the
 * caller's transaction, as a real provider's would be, and are idempotent by key: a capture or
 * refund that is asked for again returns the first answer and never moves money twice.
 * `random` is injectable so that the transient-failure rate can be tested deterministically.
 */
export class SimulatedGateway implements PaymentGateway {
  private readonly flakyAttempts = new Map<string, number>();

  constructor(
    private readonly ledger: GatewayLedger,
    private readonly settings: SimulatedGatewaySettings,
    private readonly random: () => number = Math.random,
  ) {}

  async capture(request: Parameters<PaymentGateway['capture']>[0]): Promise<CaptureResult> {
    await this.call();
    if (request.method.reference === this.settings.flakyReference) {
      const attempts = (this.flakyAttempts.get(request.orderId) ?? 0) + 1;
      this.flakyAttempts.set(request.orderId, attempts);
      if (attempts <= 2)
        throw new GatewayUnavailableError(`gateway timed out (attempt ${attempts})`);
    }
    // The ledger keeps the first entry under a key: a repeated capture gets the first answer.
    const reason = this.declineReason(request.amountCents, request.method.reference);
    const stored = await this.ledger.record(request.idempotencyKey, {
      kind: reason ? 'decline' : 'capture',
      orderId: request.orderId,
      amountCents: request.amountCents,
      currency: request.currency,
      reference: `${reason ? 'dcl' : 'cap'}_${crypto.randomBytes(8).toString('hex')}`,
      reason,
    });
    return resultOf(stored);
  }

  async findCapture(idempotencyKey: string): Promise<HeldCapture | undefined> {
    await this.call();
    const entry = await this.ledger.byKey(idempotencyKey);
    if (entry?.kind !== 'capture') return undefined;
    return { reference: entry.reference, amountCents: entry.amountCents, currency: entry.currency };
  }

  async refund(request: Parameters<PaymentGateway['refund']>[0]): Promise<{ reference: string }> {
    await this.call();
    const capture = await this.ledger.captureByReference(request.captureReference);
    if (!capture) throw new Error(`gateway knows no capture ${request.captureReference}`);
    const stored = await this.ledger.record(request.idempotencyKey, {
      kind: 'refund',
      orderId: capture.orderId,
      amountCents: request.amountCents,
      currency: capture.currency,
      reference: `ref_${crypto.randomBytes(8).toString('hex')}`,
    });
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
    if (this.random() < this.settings.transientFailureRate)
      throw new GatewayUnavailableError('gateway unavailable (simulated)');
  }
}

function resultOf(entry: LedgerEntry): CaptureResult {
  return entry.kind === 'capture'
    ? { approved: true, reference: entry.reference }
    : { approved: false, reason: entry.reason ?? 'declined' };
}
