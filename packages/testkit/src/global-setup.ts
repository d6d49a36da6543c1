import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Stack, loadStackConfig } from '@shop/devstack';

declare global {
  var __stackStartedByTests: string[] | undefined;
}

/** Brings the real stack up (reusing a running one) before any integration suite runs. */
export default async function globalSetup(): Promise<void> {
  // The suites run the services as production does, compiled; compiling first means an edit to a
  // source file is never tested through a stale dist/ (it takes well under a second).
  execFileSync(process.execPath, [path.resolve(__dirname, '../../../tools/build/compile.mjs')], {
    stdio: 'inherit',
  });
  const stack = new Stack(loadStackConfig(), (line) =>
    process.stderr.write(`[devstack] ${line}\n`),
  );
  const began = Date.now();
  const result = await stack.up();
  globalThis.__stackStartedByTests = result.started;
  if (result.started.length > 0) {
    process.stderr.write(
      `[devstack] started ${result.started.join(', ')} in ${Date.now() - began} ms\n`,
    );
  }
}
