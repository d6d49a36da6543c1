import fs from 'node:fs';
import path from 'node:path';
import { compatibilityProblems } from './compatibility';
import { EVENT_TYPES, isEventType, versionsOf, type EventType } from './events';
import { payloadJsonSchema, type JsonSchema } from './json-schema';

/** packages/contracts/released/<EventType>/v<N>.json: one file per released event version. */
export const RELEASED_DIR = path.join(__dirname, '..', 'released');

export interface ReleasedVersion {
  readonly eventType: string;
  readonly version: number;
  readonly file: string;
}

export function releasedFileOf(eventType: EventType, version: number): string {
  return path.join(RELEASED_DIR, eventType, `v${version}.json`);
}

export function releasedVersions(dir = RELEASED_DIR): ReleasedVersion[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((eventType) =>
    fs
      .readdirSync(path.join(dir, eventType))
      .map((name) => /^v(\d+)\.json$/.exec(name))
      .filter((m) => m !== null)
      .map((m) => ({ eventType, version: Number(m[1]), file: path.join(dir, eventType, m[0]) })),
  );
}

/**
 * The gate: every released version must still exist, and its current schema must read what the
 * released one wrote and write what the released one reads. Every version in the code must be
 * released, so nothing ships that the gate has not pinned.
 */
export function releaseGateProblems(dir = RELEASED_DIR): string[] {
  const released = releasedVersions(dir);
  const problems = released.flatMap(({ eventType, version, file }) => {
    const name = `${eventType} v${version}`;
    if (!isEventType(eventType) || !versionsOf(eventType).includes(version)) {
      return [
        `${name} was released but is gone: its records on the topics and DLQs could not be read`,
      ];
    }
    const pinned = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema;
    return compatibilityProblems(pinned, payloadJsonSchema(eventType, version)).map(
      (p) => `${name}: ${p}`,
    );
  });
  const unreleased = unreleasedVersions(released).map(
    ({ eventType, version }) =>
      `${eventType} v${version} is not released: run npm run contracts -- release`,
  );
  return [...problems, ...unreleased];
}

/** The files `npm run contracts -- release` writes: every version not released yet. */
export function unreleasedSchemas(dir = RELEASED_DIR): { file: string; schema: JsonSchema }[] {
  return unreleasedVersions(releasedVersions(dir)).map(({ eventType, version }) => ({
    file: path.join(dir, eventType, `v${version}.json`),
    schema: payloadJsonSchema(eventType, version),
  }));
}

function unreleasedVersions(released: readonly ReleasedVersion[]) {
  return EVENT_TYPES.flatMap((eventType) =>
    versionsOf(eventType)
      .filter((v) => !released.some((r) => r.eventType === eventType && r.version === v))
      .map((version) => ({ eventType, version })),
  );
}
