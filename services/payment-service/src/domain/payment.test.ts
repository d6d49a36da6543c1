import { BusinessError } from '@shop/contracts';
import { Payment } from './payment';
import { InvalidPaymentOperationError, PaymentNotFoundError } from './payment.errors';

const request = {
  id: 'pay-1',
  orderId: 'order-1',
  customerId: 'alice',
  amountCents: 17_800,
  currency: 'USD',
};
const at = new Date('2026-01-15T10:30:00Z');
const later = new Date('2026-01-15T10:31:00Z');

describe('Payment', () => {
  it('records why a payment was declined or voided', () => {
    expect(Payment.declined(request, 'card declined', at).snapshot).toMatchObject({
      status: 'DECLINED',
      failureReason: 'card declined',
    });
    expect(Payment.voided(request, 'order cancelled before capture', at).snapshot).toEqual({
      ...request,
      status: 'VOIDED',
      failureReason: 'order cancelled before capture',
      createdAt: '2026-01-15T10:30:00.000Z',
      updatedAt: '2026-01-15T10:30:00.000Z',
    });
  });

  it('refunds a captured payment, once', () => {
    const payment = Payment.captured(request, 'gw-1', at);
    payment.refund('rf-1', later);
    expect(payment.snapshot).toMatchObject({
      status: 'REFUNDED',
      gatewayReference: 'gw-1',
      refundReference: 'rf-1',
      updatedAt: '2026-01-15T10:31:00.000Z',
    });
    expect(() => payment.refund('rf-2', later)).toThrow(
      new InvalidPaymentOperationError('cannot refund payment pay-1: it is REFUNDED'),
    );
    expect(payment.snapshot.refundReference).toBe('rf-1');
  });

  it.each([
    ['declined', Payment.declined(request, 'card declined', at)],
    ['voided', Payment.voided(request, 'cancelled', at)],
  ])('refuses to refund a %s payment, which took no money', (_, payment) => {
    const before = payment.snapshot;
    expect(() => payment.refund('rf-1', later)).toThrow(InvalidPaymentOperationError);
    expect(payment.snapshot).toBe(before);
  });

  it('has business errors a consumer skips instead of retrying', () => {
    expect(new PaymentNotFoundError('pay-9')).toBeInstanceOf(BusinessError);
    expect(new PaymentNotFoundError('pay-9').message).toBe('Payment not found: pay-9');
    expect(new InvalidPaymentOperationError('x')).toBeInstanceOf(BusinessError);
  });
});
