// Compiles what the services run from TypeScript to CommonJS JavaScript, into each workspace's
// dist/ (file by file, with source maps). Production and `npm start` run this output with plain
// node; type checking is `npm run typecheck`'s job (tsc), so this step only transpiles and is fast.
// Usage: node tools/build/compile.mjs [SERVICE...]   (default: every service)
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT, runtimeClosure, serviceNames } from './workspaces.mjs';

const services = process.argv.length > 2 ? process.argv.slice(2) : serviceNames();
const dirs = [...new Set(services.flatMap(runtimeClosure))];
const nodeTarget = `node${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node.match(/\d+/)[0]}`;

function sources(dir) {
  return fs
    .readdirSync(path.join(ROOT, dir, 'src'), { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(ROOT, dir, 'src', f));
}

const began = Date.now();
await Promise.all(
  dirs.map(async (dir) => {
    const outdir = path.join(ROOT, dir, 'dist');
    fs.rmSync(outdir, { recursive: true, force: true });
    await build({
      entryPoints: sources(dir),
      outbase: path.join(ROOT, dir, 'src'),
      outdir,
      format: 'cjs',
      platform: 'node',
      target: nodeTarget,
      sourcemap: true,
      logLevel: 'warning',
    });
  }),
);
console.log(`compiled ${dirs.length} workspaces in ${Date.now() - began} ms`);
