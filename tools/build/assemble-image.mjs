// Lays out what one service's image holds, into OUT: its production node_modules (as `npm ci
// --omit=dev --workspace` left them, nested folders included) and, for the service and each @shop
// package it runs with, package.json, dist/ and that workspace's own node_modules. Nothing else:
// no TypeScript sources, tests, other services or development tools.
// Usage: node tools/build/assemble-image.mjs SERVICE OUT
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runtimeClosure, workspaceDirs } from './workspaces.mjs';

const [service, out] = process.argv.slice(2);
if (!service || !out) throw new Error('usage: assemble-image.mjs SERVICE OUT');
const closure = new Set(runtimeClosure(service));

const copy = (from) =>
  fs.existsSync(path.join(ROOT, from)) &&
  fs.cpSync(path.join(ROOT, from), path.join(out, from), {
    recursive: true,
    verbatimSymlinks: true,
  });

copy('node_modules');
// npm links every workspace into node_modules; keep the links of the ones this service runs with.
for (const [name, dir] of workspaceDirs()) {
  if (!closure.has(dir)) fs.rmSync(path.join(out, 'node_modules', name), { force: true });
}
fs.rmSync(path.join(out, 'node_modules', '.bin'), { recursive: true, force: true });
for (const dir of closure) {
  copy(`${dir}/package.json`);
  copy(`${dir}/dist`);
  copy(`${dir}/node_modules`);
}
// What no `require` of this CommonJS app reaches: type declarations, source maps and docs of the
// dependencies, and the ES-module twins OpenTelemetry ships beside its CommonJS build (they halve
// the image; test/k8s/images.test.ts proves each image still starts).
const JUNK_FILE = /\.(d\.[cm]?ts|ts|map|md)$/;
const JUNK_DIR = /[/\\]build[/\\](esm|esnext)$/;
function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (JUNK_DIR.test(p)) fs.rmSync(p, { recursive: true });
      else prune(p);
    } else if (entry.isFile() && JUNK_FILE.test(entry.name)) fs.rmSync(p);
  }
}
for (const dir of ['node_modules', ...[...closure].map((d) => `${d}/node_modules`)]) {
  if (fs.existsSync(path.join(out, dir))) prune(path.join(out, dir));
}

// One entry point whatever the service: node follows the link, so main.js runs as the main module.
fs.symlinkSync(`services/${service}/dist/main.js`, path.join(out, 'main.js'));
