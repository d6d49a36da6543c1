import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compatibilityProblems } from './compatibility';
import { payloadJsonSchema, type JsonSchema } from './json-schema';
import { RELEASED_DIR, releaseGateProblems, releasedFileOf } from './released';

const released = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema;

/** A copy of the released schemas, to change one the way a careless edit would. */
function releasedCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'released-'));
  fs.cpSync(RELEASED_DIR, dir, { recursive: true });
  return dir;
}

describe('the release gate', () => {
  it('passes: every version in the code is released and still compatible with its release', () => {
    expect(releaseGateProblems()).toEqual([]);
  });

  it('fails when a released version would no longer read its records', () => {
    const dir = releasedCopy();
    // As if OrderCreated v1 had been released with a field the code has since dropped.
    const file = path.join(dir, 'OrderCreated', 'v1.json');
    const schema = released(file) as { properties: object; required: string[] };
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...schema,
        properties: { ...schema.properties, channel: { type: 'string' } },
        required: [...schema.required, 'channel'],
      }),
    );
    expect(releaseGateProblems(dir)).toEqual([
      'OrderCreated v1: consumers still on the released schema cannot read new records: channel: required by the reader, never written',
    ]);
  });

  it('fails when a released version is gone from the code, or a version in the code is not released', () => {
    const dir = releasedCopy();
    fs.cpSync(
      path.join(dir, 'OrderCancelled', 'v3.json'),
      path.join(dir, 'OrderCancelled', 'v4.json'),
    );
    fs.rmSync(path.join(dir, 'StockDeducted', 'v1.json'));
    expect(releaseGateProblems(dir)).toEqual([
      'OrderCancelled v4 was released but is gone: its records on the topics and DLQs could not be read',
      'StockDeducted v1 is not released: run npm run contracts -- release',
    ]);
  });

  it('keeps OrderCancelled v1 records readable, and says why v2 needs its consumers upgraded first', () => {
    const v1 = released(releasedFileOf('OrderCancelled', 1));
    const v2 = payloadJsonSchema('OrderCancelled', 2);
    // A v1 consumer cannot read a v2 record: during a rolling upgrade the consumers (which read
    // both) go first, and order-service, the only writer, last.
    expect(compatibilityProblems(v1, v2)).toEqual([
      'records written with the released schema become unreadable: reason: written as string, read as object',
      'consumers still on the released schema cannot read new records: reason: written as object, read as string',
    ]);
  });
});
