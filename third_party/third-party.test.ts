import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const HERE = __dirname;
const sums = fs
  .readFileSync(path.join(HERE, 'SHA256SUMS'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(/\s+/) as [string, string]);

describe('third-party schemas', () => {
  it.each(sums)('%s is the pinned copy of %s', (sum, file) => {
    const actual = createHash('sha256')
      .update(fs.readFileSync(path.join(HERE, file)))
      .digest('hex');
    expect(actual).toBe(sum);
  });

  it('pins every file kept here', () => {
    const kept = fs
      .readdirSync(HERE, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort();
    expect(sums.map(([, file]) => file).sort()).toEqual(kept);
  });
});
