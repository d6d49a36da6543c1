import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { asyncApiDocument } from './asyncapi';
import { eventsMarkdown } from './event-docs';
import { unreleasedSchemas } from './released';

/** The generated files, relative to the repository root. */
export const GENERATED = {
  asyncApi: 'packages/contracts/asyncapi.json',
  eventsDoc: 'docs/events.md',
} as const;

const ROOT = path.join(__dirname, '..', '..', '..');

/** The generated files' contents, as `npm run contracts` writes them (formatted, as lint wants). */
export function generatedFiles(): Record<string, string> {
  const doc = asyncApiDocument();
  return {
    [GENERATED.asyncApi]: format(GENERATED.asyncApi, JSON.stringify(doc)),
    [GENERATED.eventsDoc]: format(GENERATED.eventsDoc, eventsMarkdown(doc)),
  };
}

/** Prettier's CLI, not its API: the API loads plugins by dynamic import, which jest refuses. */
function format(file: string, content: string): string {
  return execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', path.resolve(ROOT, file)],
    { input: content, encoding: 'utf8' },
  );
}

/** A released file is written once, when its version ships, and never again. */
async function release(): Promise<void> {
  const schemas = unreleasedSchemas();
  for (const { file, schema } of schemas) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, format(file, JSON.stringify(schema)));
    console.log(`released ${path.relative(ROOT, file)}`);
  }
  if (schemas.length === 0) console.log('every version is released already');
}

async function main(command = 'generate'): Promise<void> {
  if (command === 'release') {
    await release();
  } else if (command !== 'generate') {
    throw new Error(`usage: npm run contracts [-- generate | release], got ${command}`);
  }
  for (const [file, content] of Object.entries(generatedFiles())) {
    fs.writeFileSync(path.join(ROOT, file), content);
    console.log(`wrote ${file}`);
  }
}

if (require.main === module) void main(process.argv[2]);
