import { pgSpansOf } from './tracing';

describe('OTEL_PG_SPANS', () => {
  it('is off unless set to true', () => {
    expect(pgSpansOf(undefined)).toBe(false);
    expect(pgSpansOf('')).toBe(false);
    expect(pgSpansOf('false')).toBe(false);
    expect(pgSpansOf('true')).toBe(true);
  });

  it('refuses anything else, rather than guess', () => {
    expect(() => pgSpansOf('yes')).toThrow('OTEL_PG_SPANS must be true or false, not "yes"');
  });
});
