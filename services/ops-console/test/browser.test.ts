import crypto from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually } from '@shop/testkit';
import { CONSOLE_ADMIN_TOKEN, ConsoleUnderTest, poison } from './support/console-under-test';

/**
 * Debian's chromium (scripts/ensure-tools.sh installs it for the tests), driven by playwright-core:
 * Playwright's own browser download is not reachable everywhere this runs.
 */
const CHROMIUM = '/usr/bin/chromium';

describe('the operations console in a real browser', () => {
  let stack: ConsoleUnderTest;
  let browser: Browser;
  let page: Page;
  /** Anything a page script could do to show itself: there must be none. */
  const scriptSigns: string[] = [];
  const marker = crypto.randomBytes(6).toString('hex');
  const hostile = {
    key: `<script>alert("key")</script>${marker}`,
    value: `<script>alert("value")</script><img src=x onerror="alert('value')">`,
    header: `<img src=x onerror="alert('header')"><script>alert("header")</script>`,
  };

  beforeAll(async () => {
    // The payment gateway is down: every payment fails through the retry tiers into the DLQ.
    stack = await ConsoleUnderTest.start({ paymentEnv: { GATEWAY_TRANSIENT_FAILURE_RATE: '1' } });
    await poison('order-created', hostile.key, hostile.value, { 'x-note': hostile.header });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    page.on('dialog', (d) => {
      scriptSigns.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => scriptSigns.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => scriptSigns.push(`page error: ${e.message}`));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses an unauthenticated request and a POST without its CSRF token', async () => {
    await page.goto(`${stack.url}/dead-letters`);
    expect(new URL(page.url()).pathname).toBe('/login');

    const anonymous = await page.request.post(`${stack.url}/redrive`, {
      form: { records: 'order-created-dlq/0/0' },
      maxRedirects: 0,
    });
    expect(anonymous.status()).toBe(403);

    await page.fill('input[name=operator]', 'grace');
    await page.fill('input[name=token]', CONSOLE_ADMIN_TOKEN);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/dead-letters');

    // Signed in now, and the session cookie goes along: the missing token alone refuses it.
    const withoutToken = await page.request.post(`${stack.url}/redrive/plan`, {
      form: { scope: 'one', record: 'order-created-dlq/0/0' },
      maxRedirects: 0,
    });
    expect(withoutToken.status()).toBe(403);
  });

  it('finds the poisoned record by its error class, shows it inert, and replays it after a dry run', async () => {
    const search = `${stack.url}/dead-letters?errorClass=InvalidEventError&service=inventory-service&q=${marker}`;
    await eventually(
      async () => {
        await page.goto(search);
        return (await page.locator('#dead-letters tbody tr').count()) === 1;
      },
      60_000,
      'the poisoned record on the Dead letters page',
    );
    const row = page.locator('#dead-letters tbody tr');
    expect(await row.locator('.error-class').textContent()).toBe('InvalidEventError');

    await row.locator('td.mono a').click();
    expect(await page.locator('#record-value').textContent()).toBe(hostile.value);
    expect(await page.locator('#record-key').textContent()).toContain(hostile.key);
    expect(await page.locator('#record-headers').textContent()).toContain(hostile.header);
    // Shown as text: no element came out of the record.
    expect(await page.locator('main script, main img').count()).toBe(0);

    await page.click('#plan-one');
    expect(await page.locator('h1').textContent()).toBe('Dry run: replay');
    expect(await page.locator('#to-send').textContent()).toBe('Would be sent back (1)');

    await page.click('#replay');
    expect(new URL(page.url()).pathname).toMatch(/^\/replays\/[\da-f-]{36}$/);
    expect(await page.locator('#replay-operator').textContent()).toBe('grace');
    expect((await page.locator('#replay-records .outcome').textContent())?.trim()).toBe('sent');
    expect(await page.locator('#replay-records').textContent()).toContain(
      'inventory-service-retry-1',
    );

    await page.goto(`${stack.url}/replays`);
    expect(await page.locator('#replays tbody tr').first().textContent()).toContain('grace');
    expect(scriptSigns).toEqual([]);
  });

  it('finds a payment the gateway failed by its error class, replays it once the gateway is back, and the order completes', async () => {
    const orderId = await stack.placeOrder(await stack.addProduct(5));
    const search = `${stack.url}/dead-letters?service=payment-service&errorClass=GatewayUnavailableError&q=${orderId}`;
    await eventually(
      async () => {
        await page.goto(search);
        return (await page.locator('#dead-letters tbody tr').count()) === 1;
      },
      60_000,
      'the payment request on the Dead letters page',
    );
    const row = page.locator('#dead-letters tbody tr');
    expect(await row.locator('.error-class').textContent()).toBe('GatewayUnavailableError');
    await page.goto(`${stack.url}/orders/${orderId}`);
    expect(await page.locator('#order-status').textContent()).toBe('CONFIRMED');

    // The cause fixed: payment-service back with a gateway that answers.
    await stack.restartPayments({ GATEWAY_TRANSIENT_FAILURE_RATE: '0' });

    await page.goto(search);
    await page.locator('#dead-letters tbody tr td.mono a').click();
    await page.click('#plan-one');
    expect(await page.locator('#to-send').textContent()).toBe('Would be sent back (1)');
    await page.click('#replay');
    expect((await page.locator('#replay-records .outcome').textContent())?.trim()).toBe('sent');
    expect(await page.locator('#replay-records').textContent()).toContain(
      'payment-service-retry-1',
    );

    await eventually(
      async () => {
        await page.goto(`${stack.url}/orders/${orderId}`);
        return (await page.locator('#order-status').textContent()) === 'COMPLETED';
      },
      60_000,
      'the order completed on its timeline',
    );
    const kinds = await page.locator('#timeline tr.step td.kind').allTextContents();
    const where = await page.locator('#timeline tr.step td.mono:not(.trace-id)').allTextContents();
    const stepAt = (kind: string, prefix: string) =>
      kinds.findIndex((k, i) => k === kind && where[i]!.startsWith(prefix));
    // Failed through the tiers, dead-lettered, replayed, paid, completed: in that order.
    const failed = stepAt('dead letter', 'payment-requested-dlq/');
    const replayed = where.map((w) => w.startsWith('payment-service-retry-1/')).lastIndexOf(true);
    const paid = stepAt('event', 'payment-completed/');
    const completed = stepAt('event', 'order-completed/');
    expect(failed).toBeGreaterThan(stepAt('retry', 'payment-service-retry-3/'));
    expect([failed, replayed, paid, completed]).toEqual(
      [failed, replayed, paid, completed].sort((a, b) => a - b),
    );
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(scriptSigns).toEqual([]);
  });
});
