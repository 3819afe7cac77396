// Validation of the car API's query strings, with a message per field, and the opaque keyset
// cursor (base64url JSON naming the sort it belongs to).
import { z } from 'zod';
import { BODY_TYPES, FUELS, TRANSMISSIONS } from '../cars/catalog.ts';
import { CAR_SORTS, type CarSearch, type CarSort, type Keyset, type TextMode } from '../db/car-sql.ts';

export const MAX_PAGE_SIZE = 100;
export const MAX_RECOMMENDATION_SEEDS = 20;

export function wholeNumber(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const price = wholeNumber(0, 100_000_000);
const year = wholeNumber(1900, 2100);
const mileage = wholeNumber(0, 10_000_000);
const name = z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');

type Cursor = { sort: CarSort; textMode: TextMode | undefined; after: Keyset };

const cursorPayload = z.strictObject({
  s: z.enum(CAR_SORTS),
  m: z.enum(['fulltext', 'fuzzy']).optional(),
  k: z.number().finite(),
  i: z.number().int().positive(),
});

export function encodeCursor(sort: CarSort, textMode: TextMode | undefined, after: Keyset): string {
  const payload: z.input<typeof cursorPayload> = { s: sort, k: after.key, i: after.id };
  if (textMode !== undefined) payload.m = textMode;
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (!parsed.success) return undefined;
    return { sort: parsed.data.s, textMode: parsed.data.m, after: { key: parsed.data.k, id: parsed.data.i } };
  } catch {
    return undefined;
  }
}

export const carSearchQuerySchema = z
  .strictObject({
    q: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    make: name.optional(),
    model: name.optional(),
    city: name.optional(),
    bodyType: z.enum(BODY_TYPES).optional(),
    fuel: z.enum(FUELS).optional(),
    transmission: z.enum(TRANSMISSIONS).optional(),
    minPrice: price.optional(),
    maxPrice: price.optional(),
    minYear: year.optional(),
    maxYear: year.optional(),
    minMileage: mileage.optional(),
    maxMileage: mileage.optional(),
    sort: z.enum(CAR_SORTS).optional(),
    page: wholeNumber(1, 100_000).optional(),
    pageSize: wholeNumber(1, MAX_PAGE_SIZE).default(20),
    cursor: z.string().max(500, 'is not a valid cursor').optional(),
    facets: z.stringbool({ error: 'must be true or false' }).default(false),
  })
  .transform((query, ctx) => {
    const issue = (path: string, message: string) => {
      ctx.issues.push({ code: 'custom', input: query, path: [path], message });
    };
    const ranges = [
      ['minPrice', 'maxPrice'],
      ['minYear', 'maxYear'],
      ['minMileage', 'maxMileage'],
    ] as const;
    for (const [min, max] of ranges) {
      const low = query[min];
      const high = query[max];
      if (low !== undefined && high !== undefined && low > high) issue(max, `must be ≥ ${min}`);
    }
    const sort = query.sort ?? (query.q === undefined ? 'price' : 'relevance');
    if (sort === 'relevance' && query.q === undefined) issue('sort', 'relevance needs a q (free text)');
    let cursor: Cursor | undefined;
    if (query.cursor !== undefined) {
      cursor = decodeCursor(query.cursor);
      if (cursor === undefined) issue('cursor', 'is not a valid cursor');
      else if (cursor.sort !== sort) issue('cursor', `was issued for sort=${cursor.sort}, not sort=${sort}`);
      if (query.page !== undefined) issue('page', 'cannot be combined with cursor');
    }
    const { cursor: _, facets, page, sort: __, ...filters } = query;
    const search: CarSearch = {
      ...filters,
      sort,
      page: page ?? 1,
      after: cursor?.after,
      textMode: cursor?.textMode,
    };
    return { search, facets, usesCursor: query.cursor !== undefined };
  });

export const carIdParamsSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number')
    .transform(Number)
    .pipe(z.number().max(2_147_483_647, 'is out of range')),
});

export const limitQuerySchema = z.strictObject({ limit: wholeNumber(1, 50).default(10) });

export const recommendationsQuerySchema = z.strictObject({
  /** The user's cars (favourites or recently viewed), comma-separated ids. */
  carIds: z
    .string()
    .regex(/^[1-9]\d{0,9}(,[1-9]\d{0,9})*$/, 'must be comma-separated positive car ids')
    .transform((text) => [...new Set(text.split(',').map(Number))])
    .pipe(
      z
        .array(z.number().max(2_147_483_647, 'contains an id out of range'))
        .max(MAX_RECOMMENDATION_SEEDS, `must list at most ${MAX_RECOMMENDATION_SEEDS} cars`),
    )
    .optional(),
  limit: wholeNumber(1, 50).default(10),
});
