// Requests from the OpenAPI document (issue 7, item 3): the operations the app serves at
// /api/v1/openapi.json, and values for their parameters and bodies drawn with fast-check from
// each JSON schema: valid ones (types, formats, enums, patterns, lengths, ranges) and invalid
// ones (one rule broken at a time). Nothing here knows the endpoints: a route added on another
// branch is in the document, so it is fuzzed too.
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
}

export interface ParamSpec {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form, `/api/v1/projects/{id}`. */
  path: string;
  /** `GET /api/v1/projects/{id}`: the key of per-endpoint counts and hints. */
  key: string;
  summary: string;
  pathParams: ParamSpec[];
  query: ParamSpec[];
  body: JsonSchema | null;
  /** The route's permission as the document states it (`x-permission`). */
  permission: 'public' | 'authenticated' | string[];
}

interface OpenApiDoc {
  paths: Record<string, Record<string, {
    parameters?: Array<{ name: string; in: string; required?: boolean; schema: JsonSchema }>;
    requestBody?: { content: Record<string, { schema: JsonSchema }> };
    'x-permission'?: string | string[];
    summary?: string;
  }>>;
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase() as Operation['method'];
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      const params = op.parameters ?? [];
      const xp = op['x-permission'] ?? 'authenticated';
      out.push({
        method, path, key: `${method} ${path}`, summary: op.summary ?? '',
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema, required: true })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: op.requestBody?.content['application/json']?.schema ?? null,
        permission: xp === 'public' || xp === 'authenticated' ? xp : typeof xp === 'string' ? [xp] : xp,
      });
    }
  }
  return out;
}

/** Draws values with fast-check from one seeded source, so a seed replays the whole run. */
export class Draw {
  readonly random: fc.Random;
  constructor(seed: number) {
    this.random = new fc.Random(xoroshiro128plus(seed));
  }
  of<T>(arb: fc.Arbitrary<T>): T {
    return arb.generate(this.random, undefined).value;
  }
  int(min: number, max: number): number {
    return this.random.nextInt(min, max);
  }
  chance(p: number): boolean {
    return this.random.nextDouble() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
    const total = items.reduce((s, [w]) => s + w, 0);
    let x = this.random.nextDouble() * total;
    for (const [w, v] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1]![1];
  }
}

const NO_CONTROL_CHARS = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';
const TEXT_CHARS = [...'政务信息化项目建设管理办法国家发展改革委财政部人力资源社会保障数据共享平台系统升级改造工程省市县'];
const ASCII_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.()（）、，'];

/** Context for values that must name real things: ids of rows, the current TOTP code. */
export interface ValueContext {
  /** A real id for a uuid-valued field or parameter named `name` (null: none fits, use a random one). */
  idFor(name: string): string | null;
  /** Special values by field name (totp, creditCode…); undefined: draw from the schema. */
  special(name: string, schema: JsonSchema): unknown;
}

function types(schema: JsonSchema): string[] {
  if (schema.type === undefined) {
    if (schema.enum) return [typeof schema.enum[0]];
    if (schema.properties) return ['object'];
    return [];
  }
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** One branch of an anyOf/oneOf (rarely the null one), or the schema itself. */
function branch(d: Draw, schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options?.length) return schema;
  const nonNull = options.filter((o) => o.type !== 'null');
  return branch(d, nonNull.length && d.chance(0.8) ? d.pick(nonNull) : d.pick(options));
}

function textOf(d: Draw, min: number, max: number): string {
  const length = d.int(min, Math.max(min, Math.min(max, min + 24)));
  const chars = d.chance(0.7) ? TEXT_CHARS : ASCII_CHARS;
  let s = '';
  for (let i = 0; i < length; i++) s += d.pick(chars);
  return s;
}

function shanghaiDate(d: Draw): string {
  const day = new Date(Date.UTC(2018, 0, 1) + d.int(0, 13 * 365) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

export function randomUuid(d: Draw): string {
  return d.of(fc.uuid({ version: 4 }));
}

/** A value that satisfies `schema`; `name` is the field's or parameter's name (for hints). */
export function validValue(d: Draw, schema: JsonSchema, name: string, ctx: ValueContext, depth = 0): unknown {
  const s = branch(d, schema);
  const special = ctx.special(name, s);
  if (special !== undefined) return special;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return d.pick(s.enum);
  const type = d.pick(types(s).length ? types(s) : ['string']);
  switch (type) {
    case 'null': return null;
    case 'boolean': return d.chance(0.5);
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000);
      return d.chance(0.3) ? d.pick([min, max]) : d.int(min, Math.min(max, min + 200));
    }
    case 'number': {
      const min = s.minimum ?? -1000;
      const max = s.maximum ?? 1000;
      return d.of(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'array': {
      const min = s.minItems ?? 0;
      const max = Math.min(s.maxItems ?? 4, min + (depth > 1 ? 1 : 3));
      const n = d.int(min, Math.max(min, max));
      return Array.from({ length: n }, () => validValue(d, s.items ?? {}, name, ctx, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (required.has(k) || d.chance(depth > 1 ? 0.3 : 0.6)) out[k] = validValue(d, v, k, ctx, depth + 1);
      }
      return out;
    }
    default: return validString(d, s, name, ctx);
  }
}

function validString(d: Draw, s: JsonSchema, name: string, ctx: ValueContext): string {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 200;
  if (s.format === 'uuid') return ctx.idFor(name) ?? randomUuid(d);
  if (s.format === 'date') return shanghaiDate(d);
  if (s.format === 'date-time') return new Date(Date.parse(shanghaiDate(d)) + d.int(0, 86_399) * 1000).toISOString();
  if (s.format === 'email') return `fuzz${d.int(0, 99999)}@example.gov.cn`;
  if (s.pattern && s.pattern !== NO_CONTROL_CHARS) {
    const re = new RegExp(s.pattern, 'u');
    for (let i = 0; i < 20; i++) {
      const v = d.of(fc.stringMatching(re, { size: 'xsmall' }));
      if (v.length >= min && v.length <= max) return v;
    }
  }
  return textOf(d, Math.max(min, 1), max);
}

// ——— invalid values ———

export const INVALID_STRINGS = [
  'not-a-uuid', '00000000-0000-0000-0000-00000000000g', "1' or '1'='1", '../../../etc/passwd', '%00', '\u0000',
  '${7*7}', '<script>alert(1)</script>', '😀'.repeat(3), ' ', '',
] as const;

/** A value of some other JSON type than `schema` allows. */
export function wrongType(d: Draw, schema: JsonSchema): unknown {
  const allowed = new Set((schema.anyOf ?? schema.oneOf ?? [schema]).flatMap(types));
  const candidates: Array<[string, unknown]> = [
    ['string', d.pick(INVALID_STRINGS)], ['integer', d.int(-5, 99999)], ['number', 3.14159], ['boolean', true],
    ['object', { nested: { value: 1 } }], ['array', [1, 'two', null]], ['null', null],
  ];
  const wrong = candidates.filter(([t]) => !allowed.has(t) && !(t === 'integer' && allowed.has('number')));
  return wrong.length ? d.pick(wrong)[1] : { unexpected: true };
}

/** A value breaking one constraint of `schema` other than its type, or undefined when it has none. */
export function outOfRange(d: Draw, schema: JsonSchema): unknown {
  const s = (schema.anyOf ?? schema.oneOf)?.find((o) => o.type !== 'null') ?? schema;
  const options: unknown[] = [];
  if (s.enum?.length) options.push(`${String(s.enum[0])}_not_in_enum`);
  if (s.maxLength !== undefined) options.push('长'.repeat(s.maxLength + 1 + d.int(0, 3)));
  if (s.minLength !== undefined && s.minLength > 0) options.push('x'.repeat(s.minLength - 1));
  if (s.maximum !== undefined) options.push(s.maximum + 1, Number.MAX_SAFE_INTEGER * 4);
  if (s.minimum !== undefined) options.push(s.minimum - 1, -1e12);
  if (types(s).includes('integer')) options.push(1.5);
  if (s.format === 'uuid') options.push(d.pick(INVALID_STRINGS.slice(0, 3)), 'ffffffff-ffff-1fff-7fff-ffffffffffff');
  if (s.format === 'date') options.push('2025-02-30', '2025-13-01', '20250101', '2025-1-1');
  if (s.pattern && s.pattern !== NO_CONTROL_CHARS) options.push('!!不匹配!!', 'a'.repeat(5));
  if (s.pattern === NO_CONTROL_CHARS) options.push('控制\u0007字符');
  if (s.maxItems !== undefined && s.items) options.push(Array.from({ length: s.maxItems + 1 }, () => null));
  if (s.minItems !== undefined && s.minItems > 0) options.push([]);
  return options.length ? d.pick(options) : undefined;
}

/** A path into an object body, e.g. ['crossDepartment', 'leadOrganizationId'], with the schema there. */
export interface FieldRef {
  path: string[];
  schema: JsonSchema;
  required: boolean;
  hasDefault: boolean;
}

/** The fields of a body schema, nested objects included (arrays are not entered). */
export function fieldsOf(schema: JsonSchema, prefix: string[] = [], depth = 0): FieldRef[] {
  const s = (schema.anyOf ?? schema.oneOf)?.find((o) => o.type === 'object' || o.properties) ?? schema;
  if (!s.properties || depth > 3) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties).flatMap(([k, v]) => [
    { path: [...prefix, k], schema: v, required: required.has(k), hasDefault: v.default !== undefined },
    ...fieldsOf(v, [...prefix, k], depth + 1),
  ]);
}

export function getAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** Sets (or with `undefined` deletes) the value at `path`, creating objects on the way. */
export function setAt(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object' || Array.isArray(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}
