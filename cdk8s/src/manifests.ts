import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Every document of every YAML file in a folder. */
export function readManifests(dir: string): Manifest[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) =>
      YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
        (d) => d.toJSON() as Manifest,
      ),
    )
    .filter((m) => m !== null);
}
