import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';
import type { Deployable } from './service-env';

const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface ServiceCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** The service's folder, the working directory it runs in. */
  readonly cwd: string;
}

/**
 * How a service runs on this machine: its compiled JavaScript under plain node, with the same
 * resolution its image uses (the `shop-compiled` condition picks each @shop package's dist/), so
 * `npm start`, the tests, chaos and the benchmark run what production runs. `npm run build`
 * (tools/build/compile.mjs) makes it; the npm scripts that start services run it first.
 */
export function serviceCommand(
  service: Deployable,
  nodeFlags: readonly string[] = [],
): ServiceCommand {
  const cwd = path.join(REPO_ROOT, 'services', service);
  const main = path.join(cwd, 'dist', 'main.js');
  if (!fs.existsSync(main)) {
    throw new StackError(`${service} is not compiled (no ${main}): run \`npm run build\``);
  }
  return {
    command: process.execPath,
    args: ['--conditions=shop-compiled', '--enable-source-maps', ...nodeFlags, main],
    cwd,
  };
}
