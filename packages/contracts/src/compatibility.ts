import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from './json-schema';

export interface SchemaBreak {
  readonly path: string;
  readonly problem: string;
}

/** The keywords this checker reasons about; any other one must be identical on both sides. */
const UNDERSTOOD = new Set([
  ...['$schema', 'title', 'description', 'default', 'type', 'enum', 'const', 'format', 'pattern'],
  ...['properties', 'required', 'additionalProperties', 'items'],
  ...['minimum', 'exclusiveMinimum', 'minLength', 'minItems'],
  ...['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'],
]);
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'] as const;

/**
 * What a reader with the schema `reader` would refuse among the values `writer` allows. Readers
 * here drop properties they do not know (READ_PAYLOADS), so a property only the writer has is
 * never a break; one the reader requires and the writer may leave out always is.
 */
export function unreadable(reader: JsonSchema, writer: JsonSchema, path = ''): SchemaBreak[] {
  const at = path || '(payload)';
  const unknown = [...Object.keys(reader), ...Object.keys(writer)].filter(
    (k) => !UNDERSTOOD.has(k),
  );
  if (unknown.length > 0) {
    if (isDeepStrictEqual(reader, writer)) return [];
    return [
      {
        path: at,
        problem: `${[...new Set(unknown)].join(', ')} changed (only an identical schema is known to be safe)`,
      },
    ];
  }
  const refusedTypes = typesRefused(reader.type, writer.type);
  if (refusedTypes) return [{ path: at, problem: refusedTypes }];
  return [
    ...valuesBreak(reader, writer, at),
    ...boundsBreaks(reader, writer, at),
    ...(reader.items || writer.items
      ? unreadable(schemaOf(reader.items), schemaOf(writer.items), `${path}[]`)
      : []),
    ...propertyBreaks(reader, writer, path),
  ];
}

/** Everything that breaks between a released schema and the current one of the same version. */
export function compatibilityProblems(released: JsonSchema, current: JsonSchema): string[] {
  return [
    ...unreadable(current, released).map(
      (b) => `records written with the released schema become unreadable: ${b.path}: ${b.problem}`,
    ),
    ...unreadable(released, current).map(
      (b) =>
        `consumers still on the released schema cannot read new records: ${b.path}: ${b.problem}`,
    ),
  ];
}

function valuesBreak(reader: JsonSchema, writer: JsonSchema, at: string): SchemaBreak[] {
  const accepted = allowedValues(reader);
  if (!accepted) return [];
  const written = allowedValues(writer);
  const refused = written
    ? written.filter((v) => !accepted.some((a) => isDeepStrictEqual(a, v)))
    : null;
  if (refused === null)
    return [{ path: at, problem: `any value written, only ${JSON.stringify(accepted)} read` }];
  if (refused.length === 0) return [];
  return [
    { path: at, problem: `value ${refused.map((v) => JSON.stringify(v)).join(', ')} not read` },
  ];
}

function boundsBreaks(reader: JsonSchema, writer: JsonSchema, at: string): SchemaBreak[] {
  const breaks: SchemaBreak[] = [];
  for (const key of LOWER_BOUNDS) {
    const r = reader[key] as number | undefined;
    const w = writer[key] as number | undefined;
    if (r !== undefined && (w === undefined || w < r)) {
      breaks.push({ path: at, problem: `${key} ${w ?? 'none'} written, ${r} read` });
    }
  }
  for (const key of UPPER_BOUNDS) {
    const r = reader[key] as number | undefined;
    const w = writer[key] as number | undefined;
    if (r !== undefined && (w === undefined || w > r)) {
      breaks.push({ path: at, problem: `${key} ${w ?? 'none'} written, ${r} read` });
    }
  }
  for (const key of ['format', 'pattern'] as const) {
    if (reader[key] !== undefined && reader[key] !== writer[key]) {
      breaks.push({
        path: at,
        problem: `${key} ${String(writer[key] ?? 'none')} written, ${String(reader[key])} read`,
      });
    }
  }
  return breaks;
}

function propertyBreaks(reader: JsonSchema, writer: JsonSchema, path: string): SchemaBreak[] {
  const read = (reader.properties ?? {}) as Record<string, JsonSchema>;
  const written = (writer.properties ?? {}) as Record<string, JsonSchema>;
  const readRequired = (reader.required ?? []) as string[];
  const writeRequired = (writer.required ?? []) as string[];
  const breaks: SchemaBreak[] = [];
  for (const name of readRequired) {
    const at = path ? `${path}.${name}` : name;
    if (!(name in written)) {
      breaks.push({ path: at, problem: 'required by the reader, never written' });
    } else if (!writeRequired.includes(name)) {
      breaks.push({ path: at, problem: 'required by the reader, optional for the writer' });
    }
  }
  for (const name of Object.keys(read).filter((n) => n in written)) {
    breaks.push(...unreadable(read[name]!, written[name]!, path ? `${path}.${name}` : name));
  }
  return breaks;
}

/** A reader of `number` takes integers; a writer with no type may write anything. */
function typesRefused(read: unknown, written: unknown): string | undefined {
  if (read === undefined) return undefined;
  const readTypes = ([] as unknown[]).concat(read);
  const writtenTypes = written === undefined ? ['anything'] : ([] as unknown[]).concat(written);
  const refused = writtenTypes.filter(
    (t) => !readTypes.includes(t) && !(t === 'integer' && readTypes.includes('number')),
  );
  if (refused.length === 0) return undefined;
  return `written as ${writtenTypes.join(' or ')}, read as ${readTypes.join(' or ')}`;
}

function allowedValues(schema: JsonSchema): readonly unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  return schema.enum as readonly unknown[] | undefined;
}

function schemaOf(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {};
}
