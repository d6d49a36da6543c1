// The workspaces a service runs with: itself and, transitively, the @shop packages it depends on.
// Read from the package.json files, so a new dependency needs no list kept by hand.
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

function manifest(dir) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));
}

/** Every workspace folder, by package name. */
export function workspaceDirs() {
  const dirs = new Map();
  for (const parent of ['packages', 'services']) {
    for (const name of fs.readdirSync(path.join(ROOT, parent))) {
      const dir = `${parent}/${name}`;
      if (fs.existsSync(path.join(ROOT, dir, 'package.json'))) dirs.set(manifest(dir).name, dir);
    }
  }
  return dirs;
}

/** The services: workspaces under services/ with a src/main.ts. */
export function serviceNames() {
  return fs
    .readdirSync(path.join(ROOT, 'services'))
    .filter((name) => fs.existsSync(path.join(ROOT, 'services', name, 'src', 'main.ts')));
}

/** The folders of `service` and of every workspace it depends on, directly or not. */
export function runtimeClosure(service) {
  const dirs = workspaceDirs();
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    for (const dep of Object.keys(manifest(dir).dependencies ?? {})) {
      const depDir = dirs.get(dep);
      if (depDir) visit(depDir);
    }
  };
  visit(`services/${service}`);
  return [...seen];
}
