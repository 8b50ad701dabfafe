// Requests for fuzzing every route kiln publishes: the operations read from a served openapi.json, the hostile values
// real clients and attackers send (null, "", huge numbers, deep nesting, prototype keys, wrong types, over-long
// strings), and fast-check arbitraries that mix them into otherwise plausible bodies at any depth.
//
// Bodies are built as JSON text, not objects, because the values that matter most cannot be JavaScript values:
// 1e400, integers past 2^53, `__proto__` keys and 2,000-level nesting are only what a client can put on the wire.

import fc from 'fast-check';

export interface Operation {
  method: string;
  /** The path as published, with `{id}`-style parameters. */
  path: string;
  body?: Schema;
  query: { name: string; schema: Schema }[];
}

export type Schema = Record<string, any>;

/**
 * Every operation of an openapi.json document that answers at once with the Kling envelope: not probes and metrics
 * (plain answers), nor the simulator controls, which wait for workers the fuzzed server does not run.
 */
export function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const fuzzable = (op: any) => op['x-kiln-envelope'] !== false && op['x-kiln-waits-for-workers'] !== true;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).filter(([, op]) => fuzzable(op)).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      body: op.requestBody?.content?.['application/json']?.schema,
      query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => ({ name: p.name, schema: p.schema ?? {} })),
    })));
}

/** The same route under each prefix kiln serves it at: resellers put the legacy API under two more. */
export function prefixedPaths(path: string): string[] {
  if (!path.startsWith('/v1/')) return [path];
  return ['/v1', '/kling/v1', '/v1/ai/x/kling'].map((prefix) => prefix + path.slice(3));
}

/** A prototype-pollution marker: if any hostile body reaches Object.prototype, `({}).kilnPolluted` turns true. */
export const POLLUTION_MARKER = 'kilnPolluted';

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** Hostile JSON values, as text, by name (the name appears in failure reports). */
export const HOSTILE_JSON: Record<string, string> = {
  null: 'null',
  empty: '""',
  blank: '"   "',
  'huge integer': '99999999999999999999999999',
  'huge float': '1e400',
  'negative huge': '-1.7976931348623157e308',
  'negative one': '-1',
  fraction: '0.5',
  'numeric string': '"99999999999999999999999999"',
  'NaN string': '"NaN"',
  true: 'true',
  'empty array': '[]',
  'empty object': '{}',
  'array of null': '[null]',
  'deep array (2,000 levels)': deep(2_000),
  'deep object (2,000 levels)': deepObject(2_000),
  'deep array (50,000 levels)': deep(50_000),
  '__proto__ object': `{"__proto__":{"${POLLUTION_MARKER}":true}}`,
  'constructor object': `{"constructor":{"prototype":{"${POLLUTION_MARKER}":true}}}`,
  'prototype keys in a list': `[{"__proto__":{"${POLLUTION_MARKER}":true},"constructor":{"prototype":{"${POLLUTION_MARKER}":true}}}]`,
  'string __proto__': '"__proto__"',
  'long string (100,000)': JSON.stringify('x'.repeat(100_000)),
  'long digits (5,000)': JSON.stringify('9'.repeat(5_000)),
  'control characters': JSON.stringify('\u0000\u0007\r\n\u202e💥'),
  'long url': JSON.stringify('https://example.com/' + 'a'.repeat(20_000) + '.png'),
};

/** Hostile query-string values (already the raw text after `=`). */
export const HOSTILE_QUERY: Record<string, string> = {
  null: 'null',
  empty: '',
  'huge integer': '99999999999999999999999999',
  'huge float': '1e400',
  'negative one': '-1',
  fraction: '0.5',
  'not a number': 'abc',
  'long digits (5,000)': '9'.repeat(5_000),
  'long string (20,000)': 'x'.repeat(20_000),
  'encoded NUL': '%00',
  'bad escape': '%E0%A4%A',
  __proto__: '__proto__',
};

/** Extra query strings appended whole: prototype keys, repeated keys, bracket syntax. */
export const HOSTILE_QUERY_EXTRAS = [
  '__proto__=1', '__proto__[kilnPolluted]=1', 'constructor[prototype][kilnPolluted]=1', 'pageNum=1&pageNum=2',
  'pageSize[]=1', 'a[b][c][d]=1', '=', '&&&', 'external_task_id=' + '%20'.repeat(300),
];

/** Hostile path parameters (a task id or external id in the path). */
export const HOSTILE_IDS: Record<string, string> = {
  zero: '0',
  'huge number': '9'.repeat(30),
  '__proto__': '__proto__',
  constructor: 'constructor',
  'encoded NUL': '%00',
  'encoded slash': '%2F',
  dots: '..',
  'bad escape': '%E0%A4%A',
  'float': '1e400',
  quote: "'%20OR%201=1--",
  'long (300)': 'x'.repeat(300),
  'long (256, the external id maximum)': '7'.repeat(256),
};

/** A value that passes the schema where that is cheap to produce, so the hostile part reaches deeper code. */
function sampleValue(schema: Schema): unknown {
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.anyOf) return sampleValue(schema.anyOf.find((s: Schema) => s.type !== 'null' && s.const !== '') ?? schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': return Object.fromEntries(Object.entries<Schema>(schema.properties ?? {}).map(([k, s]) => [k, sampleValue(s)]));
    case 'array': return schema.items ? Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sampleValue(schema.items)) : [];
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return false;
    case 'null': return null;
    case 'string': return sampleString(schema);
    default: return 'x';
  }
}

// URLs point at a closed loopback port so a handler that downloads an input fails at once, never waits on a network.
const UNREACHABLE_IMAGE = 'http://127.0.0.1:9/input.png';

function sampleString(schema: Schema): string {
  if (schema.input) return UNREACHABLE_IMAGE.replace('png', schema.input === 'video' ? 'mp4' : schema.input === 'audio' ? 'mp3' : 'png');
  if (schema.pattern === '^\\d+$' || /\\d/.test(schema.pattern ?? '')) return '1';
  const min = schema.minLength ?? 1;
  return 'a'.repeat(Math.max(1, Math.min(min, 8)));
}

/** Every path from the body's root to a field, at any depth (array items are reached at index 0). */
export function fieldPaths(schema: Schema, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const object = objectSchemaOf(schema);
  if (object) {
    for (const [key, sub] of Object.entries<Schema>(object.properties ?? {})) {
      const here = [...prefix, key];
      paths.push(here, ...fieldPaths(sub, here));
    }
  }
  const array = arraySchemaOf(schema);
  if (array?.items) paths.push(...fieldPaths(array.items, [...prefix, 0]));
  return paths;
}

const branches = (schema: Schema): Schema[] => [schema, ...(schema.anyOf ?? [])];
const objectSchemaOf = (schema: Schema) => branches(schema).find((s) => s.type === 'object' && s.properties);
const arraySchemaOf = (schema: Schema) => branches(schema).find((s) => s.type === 'array');

const HOLE = '\u0000kiln-hostile\u0000';

/** The body text of `sampleValue(schema)` with `hostileJson` put at `path`. */
export function bodyWith(schema: Schema, path: (string | number)[], hostileJson: string): string {
  const body = sampleValue(schema) as Record<string, unknown>;
  let parent: any = body;
  for (const [i, step] of path.entries()) {
    if (i === path.length - 1) { parent[step] = HOLE; break; }
    // A field whose sample is not a container (a nullable object sampled as null) is given one to hold the hole.
    if (parent[step] === null || typeof parent[step] !== 'object') parent[step] = typeof path[i + 1] === 'number' ? [] : {};
    parent = parent[step];
  }
  return JSON.stringify(body).replace(JSON.stringify(HOLE), () => hostileJson);
}

const hostileJson = fc.constantFrom(...Object.values(HOSTILE_JSON));

/** JSON text for a value of `schema`: mostly plausible, hostile anywhere, at any depth. */
export function jsonText(schema: Schema, depth = 0): fc.Arbitrary<string> {
  const plausible = plausibleText(schema, depth);
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostileJson }, { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) });
}

function plausibleText(schema: Schema, depth: number): fc.Arbitrary<string> {
  if (depth > 6) return fc.constant(JSON.stringify(sampleValue(schema)));
  if ('const' in schema) return fc.constant(JSON.stringify(schema.const));
  if (schema.enum) return fc.constantFrom<string>(...schema.enum.map((v: unknown) => JSON.stringify(v)));
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s: Schema) => plausibleText(s, depth + 1)) as fc.Arbitrary<string>[]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': return objectText(schema, depth);
    case 'array': return fc.array(jsonText(schema.items ?? {}, depth + 1), { maxLength: Math.min(schema.maxItems ?? 4, 4) + 1 }).map((items) => `[${items.join(',')}]`);
    case 'integer': return fc.integer({ min: (schema.minimum ?? -10) - 1, max: Math.min(schema.maximum ?? 1_000, 1e9) + 1 }).map(String);
    case 'number': return fc.double({ min: (schema.minimum ?? -10) - 1, max: (schema.maximum ?? 1_000) + 1, noNaN: true }).map((n) => JSON.stringify(n));
    case 'boolean': return fc.boolean().map(String);
    case 'null': return fc.constant('null');
    case 'string': return fc.oneof(fc.constant(JSON.stringify(sampleString(schema))), fc.string({ maxLength: (schema.maxLength ?? 40) + 1 }).map((s) => JSON.stringify(s)));
    default: return fc.jsonValue().map((v) => JSON.stringify(v));
  }
}

function objectText(schema: Schema, depth: number): fc.Arbitrary<string> {
  const fields = Object.entries<Schema>(schema.properties ?? {});
  const known = fields.map(([key, sub]) => fc.option(jsonText(sub, depth + 1), { nil: undefined, freq: 3 }).map((v) => (v === undefined ? undefined : `${JSON.stringify(key)}:${v}`)));
  // Keys the schema does not know, prototype keys included, beside the ones it does.
  const extra = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x'), hostileJson)
    .map(([key, value]) => `${JSON.stringify(key)}:${value}`), { maxLength: 2 });
  return fc.tuple(fc.tuple(...known), extra).map(([pairs, extras]) => `{${[...pairs.filter((p) => p !== undefined), ...extras].join(',')}}`);
}

/** A query string for `query` parameters: plausible or hostile values, sometimes hostile extras. */
export function queryText(params: Operation['query']): fc.Arbitrary<string> {
  const value = (schema: Schema) => fc.oneof(
    plausibleText(schema, 0).map((text) => encodeURIComponent(String(JSON.parse(text)))),
    fc.constantFrom(...Object.values(HOSTILE_QUERY)),
  );
  const pairs = params.map((p) => fc.option(value(p.schema).map((v) => `${p.name}=${v}`), { nil: undefined }));
  return fc.tuple(fc.tuple(...pairs), fc.option(fc.constantFrom(...HOSTILE_QUERY_EXTRAS), { nil: undefined }))
    .map(([items, extra]) => [...items, extra].filter((x) => x !== undefined).join('&'));
}
