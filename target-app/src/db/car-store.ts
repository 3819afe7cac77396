// The car catalogue the API reads: opened through a `pg` pool on PostgreSQL or the embedded PGlite
// server, loaded with the seeded dataset, then searched. Each query runs inside a DB client span (telemetry/db-client.ts).
import type { Context } from '@opentelemetry/api';
import pLimit from 'p-limit';
import { LruCache } from '../cache/lru.ts';
import type { Car } from '../cars/generate.ts';
import type { DbInstrumentation, DbOperation } from '../telemetry/db-client.ts';
import {
  type CarFilters,
  type CarSearch,
  COUNT_LIMIT,
  countCarsQuery,
  hasConditions,
  type Keyset,
  SELECT_CAR_BY_ID,
  SELECT_MAKES,
  type SqlQuery,
  searchCarsQuery,
  type TextMode,
} from './car-sql.ts';
import { type Database, type Engine, openPostgres, type PoolOptions, type PoolStats } from './database.ts';
import { FACETS, type Facet, facetCountsQuery, facetSamplePercent } from './facet-sql.ts';
import { ensureCarDataset, type LoadResult } from './load-cars.ts';
import { type Recommendations, recommendCars, type ScoredCar, similarCars } from './recommendations.ts';
import {
  buildVocabulary,
  SELECT_SEARCH_TERMS,
  SELECT_TSQUERY,
  type TextTerms,
  textTermsOf,
} from './text-terms.ts';

export type CarPage = {
  items: Car[];
  /** Exact when totalRelation is 'eq'; a lower bound (COUNT_LIMIT) when 'gte'. */
  total: number;
  totalRelation: 'eq' | 'gte';
  /** Position after the last item, when more rows follow. */
  next: Keyset | undefined;
  /** How `q` was matched; fuzzy (trigram) when full text found nothing. */
  textMode: TextMode | undefined;
};

export type FacetCounts = Record<Facet, { value: string; count: number }[]>;
export type FacetResult = {
  counts: FacetCounts;
  /** 'approx' when more than COUNT_LIMIT cars match: counts are estimated from a sample. */
  relation: 'eq' | 'approx';
};

/** How many cars match, counting at most COUNT_LIMIT + 1 (the dataset's size without conditions). */
export type MatchCounter = (filters: CarFilters, textMode: TextMode, parent?: Context) => Promise<number>;

export type CarStore = {
  readonly engine: Engine;
  readonly load: LoadResult;
  /** The pool the catalogue is read through; accounts and favourites share it. */
  readonly database: Database;
  /**
   * `count`: how the page's matches are counted (the cached store passes a cached counter, so other
   * pages and sorts of the same filters reuse the count); countCars by default.
   */
  searchCars(search: CarSearch, parent?: Context, count?: MatchCounter): Promise<CarPage>;
  countCars: MatchCounter;
  /** `overCap`: whether more than COUNT_LIMIT cars match, when the caller has counted already. */
  facetCounts(
    filters: CarFilters,
    textMode: TextMode,
    parent?: Context,
    overCap?: boolean,
  ): Promise<FacetResult>;
  getCar(id: number, parent?: Context): Promise<Car | undefined>;
  /** Undefined when the car does not exist. */
  similarCars(id: number, limit: number, parent?: Context): Promise<ScoredCar[] | undefined>;
  recommend(carIds: readonly number[], limit: number, parent?: Context): Promise<Recommendations>;
  /** Distinct makes, read once after loading (the data never changes while the app runs). */
  listMakes(): readonly string[];
  /** The planner's plan for a query, one line per entry (tests check index use). */
  explain(query: SqlQuery): Promise<string[]>;
  poolStats(): PoolStats | undefined;
  /** Resolves when the database answers a trivial query within timeoutMs, rejects otherwise. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
};

export type CarStoreOptions = {
  carCount: number;
  carSeed: number;
  instrumentation: DbInstrumentation;
  log: (message: string) => void;
  /**
   * The wire-protocol server: a PostgreSQL server, or the embedded PGlite one (engine 'pglite').
   * `searchConcurrency` bounds the searches (count, page, facets) running at once: a bulkhead so the
   * pool keeps connections for the light queries.
   */
  database: { url: string; engine?: Engine; pool: PoolOptions; searchConcurrency?: number | undefined };
  batchSize?: number;
};

type CarRow = Car & { sortKey?: number };

export async function openCarStore(options: CarStoreOptions): Promise<CarStore> {
  const { instrumentation, log } = options;
  const db: Database = await openPostgres(
    options.database.url,
    options.database.pool,
    options.database.engine ?? 'postgresql',
  );
  try {
    const load = await ensureCarDataset(db, {
      carCount: options.carCount,
      carSeed: options.carSeed,
      log,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    const makes = (await db.query<{ make: string }>(SELECT_MAKES)).rows.map((row) => row.make);
    const vocabulary = buildVocabulary(
      (await db.query<{ lexeme: string; field: string; value: string }>(SELECT_SEARCH_TERMS)).rows,
    );
    if (!load.reused) {
      log(
        `loaded ${load.carCount} cars (seed ${options.carSeed}, ${makes.length} makes) into ${db.engine === 'pglite' ? 'PGlite' : 'PostgreSQL'} with indexes in ${load.loadMs} ms`,
      );
    }

    const run = async <T>(op: DbOperation['operation'], query: SqlQuery, parent: Context | undefined) =>
      instrumentation.run(
        { operation: op, collection: 'cars', text: query.text },
        parent,
        async () => (await db.query<T>(query.text, query.values)).rows,
      );
    // Each search query waits for a slot.
    const searchSlots = pLimit(options.database.searchConcurrency ?? Number.POSITIVE_INFINITY);
    const runSearch = <T>(query: SqlQuery, parent: Context | undefined) =>
      searchSlots(() => run<T>('SELECT', query, parent));

    // Free text as column conditions (text-terms.ts): PostgreSQL parses the query, once per text.
    const parsedText = new LruCache<TextTerms | null>(1_000);
    async function withTextTerms<F extends CarFilters>(
      filters: F,
      mode: TextMode,
      parent?: Context,
    ): Promise<F> {
      if (filters.q === undefined || mode !== 'fulltext') return filters;
      let terms = parsedText.get(filters.q);
      if (terms === undefined) {
        const rows = await run<{ query: string }>(
          'SELECT',
          { text: SELECT_TSQUERY, values: [filters.q] },
          parent,
        );
        terms = textTermsOf(rows[0]?.query ?? '', vocabulary);
        parsedText.set(filters.q, terms, 3_600_000);
      }
      return { ...filters, textTerms: terms };
    }

    // The table never grows or shrinks while the app runs: no filter → the dataset's size.
    const countCars: MatchCounter = async (filters, mode, parent) => {
      if (!hasConditions(filters)) return load.carCount;
      const resolved = await withTextTerms(filters, mode, parent);
      return (await runSearch<{ total: number }>(countCarsQuery(resolved, mode), parent))[0]?.total ?? 0;
    };

    async function searchIn(
      search: CarSearch,
      mode: TextMode,
      parent: Context | undefined,
      count: MatchCounter,
    ): Promise<CarPage> {
      const withMode = await withTextTerms({ ...search, textMode: mode }, mode, parent);
      // How the page is read depends on how many match (searchCarsQuery): count first.
      const total = await count(search, mode, parent);
      const rows = await runSearch<CarRow>(
        searchCarsQuery(withMode, { matches: total, tableRows: load.carCount }),
        parent,
      );
      const more = rows.length > search.pageSize;
      const page = more ? rows.slice(0, search.pageSize) : rows;
      const last = page.at(-1);
      return {
        items: page.map(({ sortKey: _, ...car }) => car),
        total: Math.min(total, hasConditions(search) ? COUNT_LIMIT : total),
        totalRelation: hasConditions(search) && total > COUNT_LIMIT ? 'gte' : 'eq',
        next: more && last !== undefined ? { key: Number(last.sortKey), id: last.id } : undefined,
        textMode: search.q === undefined ? undefined : mode,
      };
    }

    return {
      engine: db.engine,
      load,
      database: db,
      countCars,
      async searchCars(search, parent, count = countCars) {
        if (search.q === undefined || search.textMode !== undefined) {
          return searchIn(search, search.textMode ?? 'fulltext', parent, count);
        }
        const exact = await searchIn(search, 'fulltext', parent, count);
        // Typos ("toyta") find nothing in full text: fall back to trigram similarity.
        return exact.total > 0 ? exact : searchIn(search, 'fuzzy', parent, count);
      },
      async facetCounts(filters, textMode, parent, overCap) {
        const sampled = overCap ?? (await countCars(filters, textMode, parent)) > COUNT_LIMIT;
        const resolved = await withTextTerms(filters, textMode, parent);
        const rows = await runSearch<Record<Facet, string | null> & { n: number; sampled: number }>(
          facetCountsQuery(resolved, textMode, sampled ? facetSamplePercent(load.carCount) : undefined),
          parent,
        );
        const read = rows.find((row) => FACETS.every((f) => row[f] === null))?.sampled ?? 0;
        const scale = sampled && read > 0 ? load.carCount / read : 1;
        const counts = Object.fromEntries(FACETS.map((f) => [f, []])) as unknown as FacetCounts;
        for (const row of rows) {
          const facet = FACETS.find((f) => row[f] !== null);
          if (facet !== undefined && row.n > 0) {
            counts[facet].push({ value: row[facet] as string, count: Math.round(row.n * scale) });
          }
        }
        for (const facet of FACETS) {
          counts[facet].sort((a, b) =>
            facet === 'priceBand'
              ? Number(a.value) - Number(b.value)
              : b.count - a.count || a.value.localeCompare(b.value),
          );
        }
        return { counts, relation: sampled ? 'approx' : 'eq' };
      },
      async getCar(id, parent) {
        const rows = await run<Car>('SELECT', { text: SELECT_CAR_BY_ID, values: [id] }, parent);
        return rows[0];
      },
      similarCars: (id, limit, parent) => similarCars(db, instrumentation, id, limit, parent),
      recommend: (carIds, limit, parent) => recommendCars(db, instrumentation, carIds, limit, parent),
      listMakes: () => makes,
      async explain(query) {
        const result = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.values);
        return result.rows.map((row) => row['QUERY PLAN']);
      },
      poolStats: () => db.poolStats(),
      async ping(timeoutMs) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        try {
          await Promise.race([db.query('SELECT 1'), timeout]);
        } finally {
          clearTimeout(timer);
        }
      },
      close: () => db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
