import { TransientError } from '@shop/messaging';
import {
  GatewayUnavailableError,
  SimulatedGateway,
  type GatewayLedger,
  type LedgerEntry,
  type SimulatedGatewaySettings,
} from './simulated-gateway';

/** The provider's books in memory, idempotent by key like the SQL ledger. */
class InMemoryLedger implements GatewayLedger {
  readonly entries = new Map<string, LedgerEntry>();
  async byKey(key: string) {
    return this.entries.get(key);
  }
  async captureByReference(reference: string) {
    return [...this.entries.values()].find(
      (e) => e.kind === 'capture' && e.reference === reference,
    );
  }
  async record(key: string, entry: LedgerEntry) {
    if (!this.entries.has(key)) this.entries.set(key, entry);
    return this.entries.get(key)!;
  }
}

const SETTINGS: SimulatedGatewaySettings = {
  latencyMs: 0,
  declineReferences: ['tok_declined'],
  declineAboveCents: 10_000,
  transientFailureRate: 0,
  flakyReference: 'tok_flaky',
};

function gateway(settings: Partial<SimulatedGatewaySettings> = {}, random = () => 0.5) {
  const ledger = new InMemoryLedger();
  return { ledger, gateway: new SimulatedGateway(ledger, { ...SETTINGS, ...settings }, random) };
}

const capture = (orderId: string, amountCents: number, reference = 'tok_visa') => ({
  idempotencyKey: `capture:${orderId}`,
  orderId,
  amountCents,
  currency: 'USD',
  method: { type: 'card', reference },
});

describe('the simulated gateway', () => {
  it('approves an amount up to GATEWAY_DECLINE_ABOVE_CENTS and declines one cent more', async () => {
    const { gateway: g } = gateway({ declineAboveCents: 10_000 });
    await expect(g.capture(capture('o-1', 10_000))).resolves.toMatchObject({ approved: true });
    await expect(g.capture(capture('o-2', 10_001))).resolves.toEqual({
      approved: false,
      reason: 'amount exceeds card limit',
    });
  });

  it('declines the configured references whatever the amount', async () => {
    const { gateway: g } = gateway();
    await expect(g.capture(capture('o-1', 1, 'tok_declined'))).resolves.toEqual({
      approved: false,
      reason: 'card declined',
    });
  });

  it('answers a repeated key with its first answer and writes one ledger entry', async () => {
    const { gateway: g, ledger } = gateway();
    const first = await g.capture(capture('o-1', 500));
    // The same key with another amount: a real provider returns the stored result, too.
    expect(await g.capture(capture('o-1', 99_999))).toEqual(first);
    expect([...ledger.entries.values()]).toEqual([
      expect.objectContaining({ kind: 'capture', orderId: 'o-1', amountCents: 500 }),
    ]);
  });

  it('fails transiently when the random draw falls under GATEWAY_TRANSIENT_FAILURE_RATE', async () => {
    const draws = [0.29, 0.3, 0.9];
    const { gateway: g, ledger } = gateway({ transientFailureRate: 0.3 }, () => draws.shift()!);
    const failed = g.capture(capture('o-1', 500));
    await expect(failed).rejects.toBeInstanceOf(GatewayUnavailableError);
    await expect(failed).rejects.toBeInstanceOf(TransientError); // what the kit retries
    expect(ledger.entries.size).toBe(0); // nothing moved on a failed call
    await expect(g.capture(capture('o-1', 500))).resolves.toMatchObject({ approved: true });
    await expect(g.capture(capture('o-2', 500))).resolves.toMatchObject({ approved: true });
  });

  it('never fails at rate 0 and always at rate 1', async () => {
    const never = gateway({ transientFailureRate: 0 }, () => 0).gateway;
    await expect(never.capture(capture('o-1', 1))).resolves.toMatchObject({ approved: true });
    const always = gateway({ transientFailureRate: 1 }, () => 0.999).gateway;
    await expect(always.capture(capture('o-1', 1))).rejects.toBeInstanceOf(GatewayUnavailableError);
  });

  it('times out the first two attempts per order for the flaky reference, then captures', async () => {
    const { gateway: g } = gateway();
    for (const attempt of [1, 2]) {
      await expect(g.capture(capture('o-1', 1, 'tok_flaky'))).rejects.toThrow(
        `gateway timed out (attempt ${attempt})`,
      );
    }
    await expect(g.capture(capture('o-1', 1, 'tok_flaky'))).resolves.toMatchObject({
      approved: true,
    });
  });

  it('refunds a capture once per key and refuses an unknown capture', async () => {
    const { gateway: g, ledger } = gateway();
    const captured = await g.capture(capture('o-1', 700));
    if (!captured.approved) throw new Error('expected a capture');
    const refund = { idempotencyKey: 'refund:o-1', captureReference: captured.reference };
    const first = await g.refund({ ...refund, amountCents: 700 });
    expect(await g.refund({ ...refund, amountCents: 700 })).toEqual(first);
    expect([...ledger.entries.values()].map((e) => e.kind)).toEqual(['capture', 'refund']);
    await expect(
      g.refund({ idempotencyKey: 'refund:x', captureReference: 'cap_nope', amountCents: 1 }),
    ).rejects.toThrow(/knows no capture/);
  });
});
