import { safeNext } from './auth';
import { describeFilter, filterFieldsOf, queryOf } from './dead-letter-filter';

describe('dead letter filter fields', () => {
  it('reads times without a zone as UTC, and refuses one that is not a time', () => {
    const fields = filterFieldsOf((n) => ({ from: '2026-03-01T10:00', to: 'soon' })[n]);
    expect(() => queryOf(fields)).toThrow('to is not a time: soon');
    expect(queryOf({ from: '2026-03-01T10:00' }).from).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect(queryOf({ from: '2026-03-01T10:00+02:00' }).from).toEqual(
      new Date('2026-03-01T08:00:00Z'),
    );
  });

  it('drops empty fields and names the rest, as a replay scope is recorded', () => {
    const fields = filterFieldsOf(
      (n) => ({ service: ' inventory-service ', topic: '', q: 'price' })[n],
    );
    expect(fields).toEqual({ service: 'inventory-service', q: 'price' });
    expect(describeFilter(fields)).toBe('service=inventory-service q=price');
    expect(describeFilter({})).toBe('no filter');
  });
});

describe('the page after sign-in', () => {
  it('stays on this console', () => {
    expect(safeNext('/dead-letters?service=a')).toBe('/dead-letters?service=a');
    expect(safeNext('//evil.example/x')).toBe('/dead-letters');
    expect(safeNext('/\\evil.example')).toBe('/dead-letters');
    expect(safeNext('https://evil.example')).toBe('/dead-letters');
    expect(safeNext(undefined)).toBe('/dead-letters');
  });
});
