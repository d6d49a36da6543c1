import { terminalLog } from './terminal-log';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 30,
    time: Date.UTC(2026, 10, 30, 9, 5, 7),
    pid: 1,
    hostname: 'h',
    ...fields,
  });

describe('the npm start terminal', () => {
  const view = terminalLog({ verbose: false, colour: false });

  it('shows one readable line per event, with the service and its fields', () => {
    const shown = view(
      line({
        level: 40,
        service: 'order-service',
        msg: 'outbox relay could not publish; will retry',
        attempt: 2,
      }),
    );
    expect(shown).toMatch(
      /^\[\d\d:\d\d:\d\d\] WARN: order-service outbox relay could not publish; will retry \{"attempt":2\}$/,
    );
    expect(shown).not.toContain('\n');
  });

  it('leaves per-record, per-request and per-notification lines out unless asked', () => {
    for (const msg of [
      'message processed',
      'http request',
      'notification sent',
      'business error, message skipped',
    ]) {
      expect(view(line({ service: 'order-service', msg }))).toBeUndefined();
      expect(
        terminalLog({ verbose: true, colour: false })(line({ service: 'order-service', msg })),
      ).toContain(msg);
    }
    expect(view(line({ service: 'order-service', msg: 'order-service listening' }))).toContain(
      'listening',
    );
  });

  it('keeps what is not JSON, such as a stack trace', () => {
    expect(view('    at main (/app/main.js:1:1)')).toBe('    at main (/app/main.js:1:1)');
    expect(view('{not json')).toBe('{not json');
  });

  it('colours only when asked (a terminal)', () => {
    const msg = { level: 50, service: 'order-service', msg: 'boom' };
    expect(terminalLog({ verbose: false, colour: true })(line(msg))).toContain('\u001b[');
    expect(view(line(msg))).not.toContain('\u001b[');
  });
});
