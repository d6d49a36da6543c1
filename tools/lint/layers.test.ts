import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(__dirname, '../..');
const services = path.join(__dirname, 'fixtures/layer-violations/services');
const demo = path.join(services, 'demo-service/src');

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; message: string }[];
}

// ESLint loads eslint.config.mjs with a dynamic import, which jest's VM refuses without
// --experimental-vm-modules, so the repository's own config runs in ESLint's own process.
// --no-ignore lifts the ignore that keeps these deliberate breaches out of `eslint .`.
function lintFixture(): LintResult[] {
  const eslint = path.join(repo, 'node_modules/eslint/bin/eslint.js');
  const run = spawnSync(process.execPath, [eslint, '--no-ignore', '--format', 'json', services], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintResult[];
}

// [file under demo-service/src, line, the import it reports]: one breach per file.
const BREACHES: [string, number, string][] = [
  ['adapters/gateway/inventory.client.ts', 2, '@shop/inventory-service'],
  ['adapters/gateway/stock.client.ts', 2, '../../../../inventory-service/src/domain/product'],
  ['adapters/messaging/order-events.listener.ts', 3, '../persistence/sequelize-order-store'],
  ['adapters/scheduling/expiry.job.ts', 2, '../../adapters/messaging/order-events.listener'],
  ['application/cancel-order.ts', 2, '../adapters/persistence/sequelize-order-store'],
  ['application/order-limits.ts', 2, '../config'],
  ['application/order-queries.ts', 2, 'sequelize'],
  ['application/order-report.ts', 3, '../adapters/web/order.http'],
  ['application/order-saga.ts', 2, '@shop/messaging'],
  ['domain/index.ts', 3, '../application/ports'],
  ['domain/order-id.ts', 2, 'node:crypto'],
  ['domain/order-status.ts', 2, '../application/ports'],
  ['domain/pricing/tax.ts', 2, '../../adapters/persistence/order.model'],
  ['domain/sample-orders.ts', 2, '../../test/fixtures/orders'],
];

const CLEAN = [
  'adapters/persistence/order.model.ts',
  'adapters/persistence/sequelize-order-store.ts',
  'adapters/web/order.http.ts',
  'adapters/web/order.request.ts',
  'application/place-order.ts',
  'application/ports.ts',
  'config.ts',
  'domain/money.ts',
  'domain/order.ts',
  'domain/pricing/discount.ts',
  'main.ts',
];

describe('the layer rules on a fixture service', () => {
  let results: LintResult[];
  beforeAll(() => {
    results = lintFixture();
  });

  it('report exactly the deliberate breaches, each at the import that crosses a boundary', () => {
    const reported = results
      .flatMap(({ filePath, messages }) =>
        messages.map(({ ruleId, line, message }) => ({
          file: path.relative(demo, filePath),
          line,
          ruleId,
          message,
        })),
      )
      .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

    expect(reported).toEqual(
      BREACHES.map(([file, line, source]) => ({
        file,
        line,
        ruleId: 'layers/boundaries',
        message: expect.stringContaining(`'${source}'`),
      })),
    );
  });

  it('lint the clean files of every layer, and another service that breaks nothing', () => {
    const linted = results.map(({ filePath }) => path.relative(services, filePath));

    expect(linted).toEqual(
      expect.arrayContaining([
        ...CLEAN.map((file) => `demo-service/src/${file}`),
        'inventory-service/src/domain/product.ts',
      ]),
    );
    expect(linted).toHaveLength(BREACHES.length + CLEAN.length + 1);
  });
});
