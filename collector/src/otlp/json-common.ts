// Shared pieces of the OTLP/JSON decoders (proto3 JSON mapping: lowerCamelCase keys, int64 as
// strings or numbers, enums as integers, ids as hex): values, attributes, resource, scope, exemplars,
// and the parse step with its nesting bound and error messages.
import { z } from 'zod';
import type { Attributes, Exemplar, Scope } from './model.ts';
import { OtlpDecodeError } from './model.ts';
import { attributeToString } from './proto-common.ts';

export const int64 = z.union([z.string().regex(/^-?\d+$/, 'expected an integer string'), z.number().int()]);
export const nanos = int64.optional().transform((v) => (v === undefined ? 0n : BigInt(v)));
export const hexId = z
  .string()
  .regex(/^([0-9a-fA-F]{2})*$/, 'expected a hex string')
  .optional()
  .transform((v) => (v ?? '').toLowerCase());
export const num = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).transform(Number);

type AnyValueJson = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: { key: string; value?: AnyValueJson }[] };
};
export const anyValue: z.ZodType<AnyValueJson> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: num.optional(),
    bytesValue: z.string().optional(),
    arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z
      .object({ values: z.array(z.object({ key: z.string(), value: anyValue.optional() })).optional() })
      .optional(),
  }),
);

export function plainValue(v: AnyValueJson | undefined): unknown {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return BigInt(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plainValue);
  if (v.kvlistValue)
    return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, plainValue(kv.value)]));
  return '';
}

export const attributes = z
  .array(z.object({ key: z.string(), value: anyValue.optional() }))
  .optional()
  .transform((kvs): Attributes => {
    const out: Attributes = {};
    for (const kv of kvs ?? []) out[kv.key] = attributeToString(plainValue(kv.value));
    return out;
  });

export const resource = z
  .object({ attributes })
  .optional()
  .transform((r) => r ?? { attributes: {} });
export const scope = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    attributes,
    droppedAttributesCount: z.number().int().optional(),
  })
  .optional()
  .transform(
    (s): Scope => ({
      name: s?.name ?? '',
      version: s?.version ?? '',
      attributes: s?.attributes ?? {},
      droppedAttributesCount: s?.droppedAttributesCount ?? 0,
      schemaUrl: '',
    }),
  );

export const exemplar = z
  .object({
    filteredAttributes: attributes,
    timeUnixNano: nanos,
    asDouble: num.optional(),
    asInt: int64.optional(),
    spanId: hexId,
    traceId: hexId,
  })
  .transform(
    (e): Exemplar => ({
      filteredAttributes: e.filteredAttributes,
      timeUnixNano: e.timeUnixNano,
      value: e.asDouble ?? Number(e.asInt ?? 0),
      spanId: e.spanId,
      traceId: e.traceId,
    }),
  );

// OTLP itself nests about 12 levels; the rest is attribute values (arrays, kvlists) — bounded so
// that validation cannot overflow the stack.
const MAX_JSON_DEPTH = 64;

/** Depth of a parsed JSON value, counted without recursion and no further than `limit` + 1. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export function parse<T>(schema: z.ZodType<T>, body: Uint8Array): T {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`malformed JSON: ${(error as Error).message}`);
  }
  if (nestingDepth(json, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new OtlpDecodeError(`OTLP JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new OtlpDecodeError(`invalid OTLP JSON at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return result.data;
}
