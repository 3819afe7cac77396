// Response shapes for the document (the handlers' TypeScript types, restated as zod so they can be
// rendered as JSON Schema). `satisfies` ties each to its type, so a changed type fails the typecheck.
import { z } from 'zod';
import { BODY_TYPES, COLOURS, FUELS, TRANSMISSIONS } from '../../cars/catalog.ts';
import { FEATURE_NAMES, type Feature } from '../../cars/features.ts';
import type { Car } from '../../cars/generate.ts';
import type { Registration } from '../../routes/auth.ts';

export const carSchema = z.object({
  id: z.number().int(),
  make: z.string(),
  model: z.string(),
  year: z.number().int(),
  price: z.number().int().describe('Asking price in whole EUR.'),
  mileageKm: z.number().int(),
  bodyType: z.enum(BODY_TYPES),
  fuel: z.enum(FUELS),
  transmission: z.enum(TRANSMISSIONS),
  colour: z.enum(COLOURS),
  city: z.string(),
  dealerId: z.number().int(),
  features: z.array(z.enum(FEATURE_NAMES as [Feature, ...Feature[]])),
  favouriteCount: z.number().int(),
}) satisfies z.ZodType<Car>;

export const scoredCarSchema = carSchema.extend({ score: z.number() });

const facetValues = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const carSearchResponseSchema = z.object({
  items: z.array(carSchema),
  total: z.number().int(),
  totalRelation: z.enum(['eq', 'gte']).describe("'gte': at least `total` (counts stop at 10 000)."),
  page: z.number().int().optional(),
  pageSize: z.number().int(),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  textMatch: z.enum(['fulltext', 'fuzzy']).optional(),
  facets: z
    .object({
      make: facetValues,
      bodyType: facetValues,
      fuel: facetValues,
      transmission: facetValues,
      priceBand: z.array(
        z.object({
          value: z.string(),
          label: z.string(),
          min: z.number(),
          max: z.number().nullable(),
          count: z.number().int(),
        }),
      ),
    })
    .partial()
    .optional(),
  facetsRelation: z
    .enum(['eq', 'approx'])
    .optional()
    .describe("'approx': more than 10 000 cars match, so facet counts are estimated from a sample."),
});

export const recommendationsSchema = z.object({
  basis: z.enum(['profile', 'popular']),
  items: z.array(scoredCarSchema),
});

export const priceHistorySchema = z.object({
  carId: z.number().int(),
  items: z.array(
    z.object({ price: z.number().int(), previousPrice: z.number().int(), changedAt: z.iso.datetime() }),
  ),
});

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('Seconds until the access token expires.'),
});

export const userSchema = z.object({ id: z.number().int(), email: z.string(), verified: z.boolean() });

export const registrationSchema = z.object({
  email: z.string(),
  verified: z.literal(false),
}) satisfies z.ZodType<Registration>;

export const favouriteChangeSchema = z.object({
  carId: z.number().int(),
  favourite: z.boolean(),
  favouriteCount: z.number().int(),
});

export const favouritesSchema = z.object({
  items: z.array(carSchema.extend({ favouritedAt: z.iso.datetime() })),
  total: z.number().int(),
});
