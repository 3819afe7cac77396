// The car store behind the two-level cache: same interface, reads served from L1/L2 when cached.
// Keys are the validated, normalised inputs, so equivalent requests share an entry.
import type { Context } from '@opentelemetry/api';
import { COUNT_LIMIT, filtersOf } from '../db/car-sql.ts';
import type { CarStore, MatchCounter } from '../db/car-store.ts';
import type { CacheKind, TwoLevelCache } from './two-level-cache.ts';

/** JSON with object keys sorted and undefined fields dropped: equal inputs → equal keys. */
export function cacheKeyOf(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * `countReuse` (read per call; the searchCountReuse optimisation switch): off → every search and
 * facet request counts its matches afresh instead of reusing the count cached by its filters.
 */
export function cachedCarStore(
  store: CarStore,
  cache: TwoLevelCache,
  countReuse: () => boolean = () => true,
): CarStore {
  // For loads that never yield undefined, the cached value is never undefined either.
  // `parent` (the request's span context) makes the L2 Redis commands child spans of the request.
  const always = async <T>(
    kind: CacheKind,
    key: string,
    load: () => Promise<T>,
    parent: Context | undefined,
  ): Promise<T> => (await cache.getOrLoad(kind, key, load, parent)) as T;
  // Counts are keyed by the filters alone: at a million cars a multi-filter count (a bitmap AND of
  // large indexes) costs more than reading a page, and the other pages, page sizes and sorts of the
  // same filters — and their facets — need the same number. Concurrent requests share one count.
  const countCars: MatchCounter = (filters, textMode, parent) =>
    !countReuse()
      ? store.countCars(filters, textMode, parent)
      : always(
          'search',
          `count:${textMode}:${cacheKeyOf(filtersOf(filters))}`,
          () => store.countCars(filters, textMode, parent),
          parent,
        );
  return {
    ...store,
    countCars,
    // Pages are cached whole, as response bytes, by the search route (getOrLoadJson); here they
    // only share the cached count.
    searchCars: (search, parent) => store.searchCars(search, parent, countCars),
    facetCounts: (filters, textMode, parent, overCap) =>
      always(
        'search',
        `facets:${textMode}:${cacheKeyOf(filtersOf(filters))}`,
        async () =>
          store.facetCounts(
            filters,
            textMode,
            parent,
            overCap ?? (await countCars(filters, textMode, parent)) > COUNT_LIMIT,
          ),
        parent,
      ),
    getCar: (id, parent) => cache.getOrLoad('car', String(id), () => store.getCar(id, parent), parent),
    similarCars: (id, limit, parent) =>
      cache.getOrLoad('similar', `${id}:${limit}`, () => store.similarCars(id, limit, parent), parent),
    recommend: (carIds, limit, parent) =>
      always(
        'recommendations',
        `${carIds.join(',')}:${limit}`,
        () => store.recommend(carIds, limit, parent),
        parent,
      ),
  };
}
