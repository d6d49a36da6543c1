import { Stack, loadStackConfig } from '@shop/devstack';

/** Stops the stack only if the test run started it; a developer's running stack stays up. */
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__stackStartedByTests ?? [];
  if (started.length === 0) return;
  await new Stack(loadStackConfig()).down(started);
}
