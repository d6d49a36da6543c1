import path from 'node:path';
import { Stack, loadStackConfig, type StackConfig, type UpResult } from '@shop/devstack';

const ROOT = path.resolve(__dirname, '..');

/**
 * The benchmark's own stack: its own ports and state folder, so a run never shares consumer
 * groups or databases with a developer's `npm start`, and every run starts from an empty
 * cluster and empty databases.
 * BENCH_KAFKA_PORT_BASE / BENCH_PG_PORT move it; ports stay below the ephemeral range.
 */
export function benchStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  return loadStackConfig({
    ...env,
    KAFKA_SECURE: 'false',
    KAFKA_PORT_BASE: env.BENCH_KAFKA_PORT_BASE ?? '20092',
    PG_PORT: env.BENCH_PG_PORT ?? '20432',
    DEVSTACK_DIR: env.BENCH_DEVSTACK_DIR ?? path.join(ROOT, '.devstack-bench'),
  });
}

export interface BenchStack {
  readonly stack: Stack;
  readonly endpoints: UpResult;
  release(): Promise<void>;
}

/** A fresh stack for every run (wiped, then started), stopped again by `release`. */
export async function benchStack(log: (line: string) => void): Promise<BenchStack> {
  const stack = new Stack(benchStackConfig(), (line) => log(`[stack] ${line}`));
  await stack.reset();
  const endpoints = await stack.up();
  return { stack, endpoints, release: () => stack.down().then(() => undefined) };
}
