// The public car API: search (filters, free text, facets, sort, offset or cursor pages), details,
// similar cars, recommendations, and the list of makes.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { rejectBadToken } from '../auth/request-auth.ts';
import { cacheKeyOf } from '../cache/cached-car-store.ts';
import { LruCache } from '../cache/lru.ts';
import type { TwoLevelCache } from '../cache/two-level-cache.ts';
import { PRICE_BANDS } from '../cars/features.ts';
import type { Car } from '../cars/generate.ts';
import { COUNT_LIMIT, type TextMode } from '../db/car-sql.ts';
import type { CarStore, FacetCounts } from '../db/car-store.ts';
import type { Recommendations, ScoredCar } from '../db/recommendations.ts';
import type { Favourites } from '../favourites/favourites.ts';
import { type ErrorBody, parseInput } from '../http/errors.ts';
import {
  carIdParamsSchema,
  carSearchQuerySchema,
  encodeCursor,
  limitQuerySchema,
  MAX_RECOMMENDATION_SEEDS,
  recommendationsQuerySchema,
} from './car-queries.ts';

export { MAX_PAGE_SIZE } from './car-queries.ts';

type PriceBandCount = { value: string; label: string; min: number; max: number | null; count: number };
export type CarFacets = Omit<FacetCounts, 'priceBand'> & { priceBand: PriceBandCount[] };

type CarSearchInput = z.output<typeof carSearchQuerySchema>;
/** Distinct search URLs whose validation is kept, and the longest kept (≤ ~2 MB in all). */
const VALIDATED_SEARCHES_KEPT = 2000;
const VALIDATED_URL_MAX = 400;

export type CarSearchResponse = {
  items: Car[];
  /** Exact up to 10 000 matches; beyond, 10 000 with totalRelation 'gte' ("at least"). */
  total: number;
  totalRelation: 'eq' | 'gte';
  /** Present for offset paging (absent when a cursor was given). */
  page?: number;
  pageSize: number;
  /** Pass as `cursor` for the next page (keyset paging); null on the last page. */
  nextCursor: string | null;
  /** How `q` matched: 'fulltext', or 'fuzzy' (trigram) when full text found nothing. */
  textMatch?: TextMode;
  facets?: CarFacets;
  /** With facets: 'approx' when more than 10 000 cars match and the counts are estimated from a sample. */
  facetsRelation?: 'eq' | 'approx';
};

function withBandLabels(counts: FacetCounts): CarFacets {
  return {
    ...counts,
    priceBand: counts.priceBand.map(({ value, count }) => {
      const band = PRICE_BANDS[Number(value)];
      return { value, label: band?.label ?? value, min: band?.min ?? 0, max: band?.max ?? null, count };
    }),
  };
}

export function registerCarRoutes(
  api: FastifyInstance,
  store: CarStore,
  cache: TwoLevelCache,
  /** Signed-in users' favourites seed their recommendations; absent → only `carIds`. */
  favourites?: Favourites,
  /** The searchCountReuse switch: off → facets count again instead of reusing the search's count. */
  countReuse: () => boolean = () => true,
): void {
  // Popular searches arrive with the same query string again and again: its validated input and
  // cache key are kept (bounded LRU, valid queries only), so a repeat skips validation and key
  // building — they cost more CPU than answering a cached search.
  const validatedSearches = new LruCache<{ input: CarSearchInput; key: string }>(VALIDATED_SEARCHES_KEPT);
  api.get('/api/cars', async (request, reply) => {
    let validated = validatedSearches.get(request.url);
    if (validated === undefined) {
      const input = parseInput(carSearchQuerySchema, request.query, 'query');
      validated = { input, key: `response:${cacheKeyOf(input)}` };
      if (request.url.length <= VALIDATED_URL_MAX) {
        validatedSearches.set(request.url, validated, Number.POSITIVE_INFINITY);
      }
    }
    const { search, facets, usesCursor } = validated.input;
    // The whole response is cached as JSON text (the inputs are normalised by validation, so
    // equivalent queries share it): a popular search is answered without serialising it again.
    const body = await cache.getOrLoadJson(
      'search',
      validated.key,
      async (): Promise<CarSearchResponse> => {
        const found = await store.searchCars(search, request.otelContext);
        const response: CarSearchResponse = {
          items: found.items,
          total: found.total,
          totalRelation: found.totalRelation,
          ...(usesCursor ? {} : { page: search.page }),
          pageSize: search.pageSize,
          nextCursor: found.next === undefined ? null : encodeCursor(search.sort, found.textMode, found.next),
        };
        if (found.textMode !== undefined) response.textMatch = found.textMode;
        if (facets) {
          const textMode = found.textMode ?? 'fulltext';
          // The search has counted the matches: facets reuse that instead of counting again.
          const overCap = countReuse()
            ? found.totalRelation === 'gte' || found.total > COUNT_LIMIT
            : undefined;
          const counted = await store.facetCounts(search, textMode, request.otelContext, overCap);
          response.facets = withBandLabels(counted.counts);
          response.facetsRelation = counted.relation;
        }
        return response;
      },
      request.otelContext,
    );
    return reply.type('application/json; charset=utf-8').send(body);
  });

  api.get('/api/cars/:id', async (request, reply) => {
    const { id } = parseInput(carIdParamsSchema, request.params, 'car id');
    const car = await store.getCar(id, request.otelContext);
    if (car === undefined) return reply.code(404).send({ error: `car ${id} not found` } satisfies ErrorBody);
    return car;
  });

  api.get('/api/cars/:id/similar', async (request, reply): Promise<{ items: ScoredCar[] } | undefined> => {
    const { id } = parseInput(carIdParamsSchema, request.params, 'car id');
    const { limit } = parseInput(limitQuerySchema, request.query, 'query');
    const items = await store.similarCars(id, limit, request.otelContext);
    if (items === undefined) {
      return reply.code(404).send({ error: `car ${id} not found` } satisfies ErrorBody);
    }
    return { items };
  });

  api.get('/api/recommendations', async (request, reply): Promise<Recommendations | FastifyReply> => {
    const { carIds, limit } = parseInput(recommendationsQuerySchema, request.query, 'query');
    const rejected = rejectBadToken(request, reply);
    if (rejected !== undefined) return rejected;
    const auth = request.auth;
    // The user's favourites come first (most recent first), then the cars the client named.
    const favouriteIds =
      favourites !== undefined && auth?.state === 'signed-in'
        ? await favourites.ids(auth.session.user.id, MAX_RECOMMENDATION_SEEDS, request.otelContext)
        : [];
    const seeds = [...new Set([...favouriteIds, ...(carIds ?? [])])].slice(0, MAX_RECOMMENDATION_SEEDS);
    return store.recommend(seeds, limit, request.otelContext);
  });

  // The makes are read once at start; the cache only makes them count like every other response.
  api.get('/api/makes', async () =>
    cache.getOrLoad('makes', 'all', async () => ({ makes: store.listMakes() })),
  );
}
