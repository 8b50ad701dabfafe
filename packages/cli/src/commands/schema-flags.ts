// Command-line flags generated from a family's request schema, and the request body built back from them:
//   scalar field        --aspect-ratio 16:9         (kebab-case of the field name, pageSize → --page-size;
//                                                     booleans are bare flags)
//   nested scalar       --watermark-info-enabled    (an object's scalar fields, parent-child)
//   whole object        --camera-control '{"type":"simple"}'
//   array               --image-list URL --image-list URL   (repeatable: a value fills the item's one required
//                       field, e.g. {"image": …}; a JSON object is one item, a JSON array several)
// An image field also takes a local file path, sent as raw Base64 as Kling wants.

import fs from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';

type Schema = Record<string, any>;

export interface Scalar {
  kind: 'string' | 'number' | 'boolean';
  choices?: string[];
  /** The schema also takes a number: a value that is a safe integer is sent as one. */
  numeric: boolean;
  image: boolean;
}

export interface FieldFlag {
  path: string[];
  option: Option;
  kind: 'scalar' | 'json' | 'list';
  scalar?: Scalar;
  itemKey?: string;
}

// pageNum → page-num (query parameters of the list endpoints are camelCase), aspect_ratio → aspect-ratio.
const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
// The contract marks image inputs (`input: 'image'`); the Base64 rule is the older sign of one.
const isImageSchema = (s: Schema) => s.input === 'image' || /base64/i.test(String(s.rule ?? ''));

export function scalarOf(s: Schema): Scalar | undefined {
  if (Array.isArray(s.anyOf)) {
    const maybe: (Scalar | undefined)[] = s.anyOf.map(scalarOf);
    if (maybe.some((b) => !b)) return undefined;
    const branches = maybe as Scalar[];
    const consts = s.anyOf.every((b: Schema) => 'const' in b);
    const boolean = s.anyOf.every((b: Schema) => b.type === 'boolean' || b.const === 'true' || b.const === 'false');
    const numeric = branches.some((b) => b.kind === 'number' || b.numeric);
    const onlyNumbers = branches.every((b) => b.kind === 'number');
    return {
      kind: boolean ? 'boolean' : onlyNumbers ? 'number' : 'string',
      choices: consts && !boolean ? [...new Set(s.anyOf.map((b: Schema) => String(b.const)))] as string[] : undefined,
      numeric,
      image: isImageSchema(s) || branches.some((b) => b.image),
    };
  }
  if (s.type === 'string' || typeof s.const === 'string') return { kind: 'string', numeric: false, image: isImageSchema(s) };
  if (s.type === 'number' || s.type === 'integer' || typeof s.const === 'number') return { kind: 'number', numeric: true, image: false };
  if (s.type === 'boolean') return { kind: 'boolean', numeric: false, image: false };
  return undefined;
}

function describe(s: Schema, scalar?: Scalar): string {
  const parts: string[] = [];
  if (scalar?.kind === 'boolean') parts.push('sends true');
  else if (scalar?.choices) parts.push(`one of ${scalar.choices.join(', ')}`);
  else if (typeof s.rule === 'string') parts.push(s.rule.replace(/^must be /, ''));
  else if (scalar) parts.push(scalar.kind);
  if (typeof s.maxLength === 'number') parts.push(`at most ${s.maxLength} characters`);
  if (typeof s.minimum === 'number' && typeof s.maximum === 'number') parts.push(`${s.minimum}–${s.maximum}`);
  if (scalar?.image) parts.push('a URL, raw Base64, or a local file');
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join('; ');
}

function scalarFlag(path: string[], s: Schema, scalar: Scalar, prefix: string): FieldFlag {
  const name = `--${prefix}${path.map(kebab).join('-')}`;
  const option = new Option(scalar.kind === 'boolean' ? name : `${name} <value>`, describe(s, scalar));
  return { path, option, kind: 'scalar', scalar };
}

/** Every flag of a request schema. `reserved` flag names get a `body-` prefix to stay distinct from CLI options. */
export function flagsFor(request: Schema, reserved: Set<string>): FieldFlag[] {
  const flags: FieldFlag[] = [];
  for (const [field, s] of Object.entries<Schema>(request.properties ?? {})) {
    const prefix = reserved.has(kebab(field)) ? 'body-' : '';
    const scalar = scalarOf(s);
    if (scalar) {
      flags.push(scalarFlag([field], s, scalar, prefix));
    } else if (s.type === 'array') {
      const items: Schema = s.items ?? {};
      const required: string[] = items.type === 'object' ? items.required ?? [] : [];
      const itemKey = required.length === 1 ? required[0] : undefined;
      const itemScalar = itemKey ? scalarOf(items.properties[itemKey]) : scalarOf(items);
      const what = itemKey ? `one ${itemKey}, or a JSON item` : itemScalar ? 'a value' : 'a JSON item or array';
      const option = new Option(`--${prefix}${kebab(field)} <value>`, `repeatable: ${what}${itemScalar?.image ? ' (URL, Base64 or local file)' : ''}`)
        .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      flags.push({ path: [field], option, kind: 'list', itemKey, scalar: itemScalar });
    } else {
      flags.push({ path: [field], option: new Option(`--${prefix}${kebab(field)} <json>`, `${describe(s) || 'an object'} (JSON)`), kind: 'json' });
      if (s.type === 'object') {
        for (const [child, cs] of Object.entries<Schema>(s.properties ?? {})) {
          const cscalar = scalarOf(cs);
          if (cscalar) flags.push(scalarFlag([field, child], cs, cscalar, prefix));
        }
      }
    }
  }
  return flags;
}

const looksLikeUrl = (v: string) => /^https?:\/\//i.test(v);

// Base64 has no '.', so a short value with one (photo.jpg, ./in/cat.png) can only be meant as a local file.
const looksLikePath = (v: string) => v.length < 4096 && (v.includes('.') || v.startsWith('~'));

function convert(raw: unknown, scalar: Scalar | undefined, flag: string): unknown {
  if (typeof raw !== 'string' || !scalar) return raw;
  if (scalar.image && !looksLikeUrl(raw) && raw.length < 4096 && fs.existsSync(raw) && fs.statSync(raw).isFile()) {
    return fs.readFileSync(raw).toString('base64');
  }
  if (scalar.image && !looksLikeUrl(raw) && looksLikePath(raw)) {
    throw new InvalidArgumentError(`${flag}: file not found: ${raw} (give a URL, raw Base64 or an existing local file)`);
  }
  if (scalar.choices) return raw;
  if (scalar.kind === 'number') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (scalar.numeric && /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  return raw;
}

function parseJson(raw: string, flag: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new InvalidArgumentError(`${flag}: not valid JSON (${(error as Error).message})`);
  }
}

/** The request body: `base` (from --json-body), then whole-object and array flags, then scalar flags on top. */
export function buildBody(flags: FieldFlag[], values: Record<string, unknown>, base: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, any> = structuredClone(base);
  const ordered = [...flags].sort((a, b) => a.path.length - b.path.length || (a.kind === 'json' ? -1 : b.kind === 'json' ? 1 : 0));
  for (const flag of ordered) {
    const raw = values[flag.option.attributeName()];
    if (raw === undefined) continue;
    const name = flag.option.long!;
    if (flag.kind === 'json') {
      body[flag.path[0]] = parseJson(String(raw), name);
    } else if (flag.kind === 'list') {
      body[flag.path[0]] = (raw as string[]).flatMap((value) => {
        const trimmed = value.trim();
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
          const parsed = parseJson(trimmed, name);
          return Array.isArray(parsed) ? parsed : [parsed];
        }
        if (!flag.scalar) throw new InvalidArgumentError(`${name}: expects a JSON item, e.g. ${name} '{"…": …}'`);
        const converted = convert(value, flag.scalar, name);
        return [flag.itemKey ? { [flag.itemKey]: converted } : converted];
      });
    } else {
      const target = flag.path.slice(0, -1).reduce((obj, key) => {
        if (typeof obj[key] !== 'object' || obj[key] === null) obj[key] = {};
        return obj[key];
      }, body);
      target[flag.path[flag.path.length - 1]] = convert(raw, flag.scalar, name);
    }
  }
  return body;
}
