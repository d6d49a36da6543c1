import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Pattern lines of an ignore file, without comments, blanks or trailing slashes. */
function patterns(file: string): string[] {
  return fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\/$/, ''));
}

/** A .dockerignore pattern as Docker reads it: from the context root, `**` spans folders. */
function dockerPattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (pattern[i] === '*') re += '[^/]*';
    else if (pattern[i] === '?') re += '[^/]';
    else re += pattern[i]!.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re.replace(/^\//, '')}$`);
}

const dockerIgnored = patterns('.dockerignore');
const matchers = dockerIgnored.filter((p) => !p.startsWith('!')).map(dockerPattern);

/** Docker leaves a path out when a pattern matches it or any folder above it. */
function leftOut(file: string): boolean {
  const parts = file.split('/');
  return parts.some((_, i) => matchers.some((m) => m.test(parts.slice(0, i + 1).join('/'))));
}

/**
 * Paths a .gitignore pattern ignores: at the root, and deeper too unless the pattern is anchored
 * (a slash before its end), since git matches an unanchored name at any depth.
 */
function examplesOf(gitPattern: string): string[] {
  const name = gitPattern.replace(/^\//, '').replaceAll('*', '-example');
  const anchored = gitPattern.replace(/\/$/, '').includes('/');
  return anchored ? [name] : [name, `services/order-service/${name}`];
}

describe('the Docker build context', () => {
  it('has no exceptions, which would make the check below unsound', () => {
    expect(dockerIgnored.filter((p) => p.startsWith('!'))).toEqual([]);
  });

  it.each(patterns('.gitignore').filter((p) => !p.startsWith('!')))(
    'leaves out what .gitignore ignores: %s',
    (gitPattern) => {
      for (const example of examplesOf(gitPattern))
        expect([example, leftOut(example)]).toEqual([example, true]);
    },
  );

  it.each([
    '.devstack',
    '.devstack-bench',
    '.devstack-chaos',
    '.devstack-secure',
    '.devstack-next',
  ])('leaves out the local stack state in %s', (dir) => {
    expect(leftOut(`${dir}/kafka/node-0/data/orders-0/00000000000000000000.log`)).toBe(true);
    expect(leftOut(`${dir}/postgres/PG_VERSION`)).toBe(true);
  });

  it('keeps what the Dockerfile copies', () => {
    for (const file of [
      'package.json',
      'package-lock.json',
      'cdk8s/package.json',
      'packages/messaging/src/index.ts',
      'services/order-service/src/main.ts',
    ])
      expect([file, leftOut(file)]).toEqual([file, false]);
  });
});
