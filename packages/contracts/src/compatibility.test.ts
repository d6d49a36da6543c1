import { z } from 'zod';
import { compatibilityProblems } from './compatibility';
import type { JsonSchema } from './json-schema';

const json = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', target: 'draft-7' });

const released = z.strictObject({
  orderId: z.uuid(),
  reason: z.string().min(1).max(500),
  channel: z.enum(['email', 'sms']),
  note: z.string().optional(),
  lines: z.array(z.strictObject({ productId: z.string(), quantity: z.number().int() })),
});
const shape = released.shape;

/** A change to the released schema, and what the gate must say about it. */
const cases: [string, z.ZodType, RegExp[]][] = [
  ['nothing changed', released, []],
  ['an optional field added', released.extend({ giftWrap: z.boolean().optional() }), []],
  [
    'a required field added with a default',
    released.extend({ priority: z.number().default(0) }),
    [],
  ],
  ['an optional field removed', released.omit({ note: true }), []],
  [
    'a required field removed',
    released.omit({ reason: true }),
    [
      /^consumers still on the released schema cannot read new records: reason: required by the reader, never written$/,
    ],
  ],
  [
    'a required field renamed',
    released.omit({ reason: true }).extend({ cause: shape.reason }),
    [
      /^records written with the released schema become unreadable: cause: required by the reader, never written$/,
      /^consumers still on the released schema cannot read new records: reason: required/,
    ],
  ],
  [
    'a required field retyped',
    released.extend({ reason: z.strictObject({ code: z.string(), detail: z.string() }) }),
    [
      /^records written .*: reason: written as string, read as object$/,
      /^consumers still .*: reason: written as object, read as string$/,
    ],
  ],
  [
    'a field retyped inside an array',
    released.extend({
      lines: z.array(z.strictObject({ productId: z.string(), quantity: z.string() })),
    }),
    [
      /^records written .*: lines\[\]\.quantity: written as integer, read as string$/,
      /^consumers still .*: lines\[\]\.quantity/,
    ],
  ],
  [
    'a new required field without a default',
    released.extend({ priority: z.number() }),
    [/^records written .*: priority: required by the reader, never written$/],
  ],
  [
    'an optional field made required',
    released.extend({ note: z.string() }),
    [/^records written .*: note: required by the reader, optional for the writer$/],
  ],
  [
    'an enum value removed',
    released.extend({ channel: z.enum(['email']) }),
    [/^records written .*: channel: value "sms" not read$/],
  ],
  [
    'an enum value added',
    released.extend({ channel: z.enum(['email', 'sms', 'push']) }),
    [/^consumers still .*: channel: value "push" not read$/],
  ],
  [
    'a bound tightened',
    released.extend({ reason: z.string().min(1).max(100) }),
    [/^records written .*: reason: maxLength 500 written, 100 read$/],
  ],
  [
    'a bound loosened',
    released.extend({ reason: z.string().min(1).max(1000) }),
    [/^consumers still .*: reason: maxLength 1000 written, 500 read$/],
  ],
  [
    'a number allowed where only a string was',
    released.extend({ reason: z.union([z.string(), z.number()]) }),
    [/^consumers still .*: reason: written as string or number, read as string$/],
  ],
  [
    'a field turned into a choice of shapes',
    released.extend({
      reason: z.union([z.strictObject({ code: z.string() }), z.strictObject({ text: z.string() })]),
    }),
    [/^records written .*: reason: anyOf changed/, /^consumers still .*: reason: anyOf changed/],
  ],
];

describe('compatibility of a changed schema with its released version', () => {
  it.each(cases)('%s', (_, changed, expected) => {
    const problems = compatibilityProblems(json(released), json(changed));
    expect(problems).toHaveLength(expected.length);
    expected.forEach((pattern, i) => expect(problems[i]).toMatch(pattern));
  });
});
