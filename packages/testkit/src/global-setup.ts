import { Stack, loadStackConfig } from '@shop/devstack';

declare global {
  var __stackStartedByTests: string[] | undefined;
}

/** Brings the real stack up (reusing a running one) before any integration suite runs. */
export default async function globalSetup(): Promise<void> {
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
