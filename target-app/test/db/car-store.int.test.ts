// The car store on both engines — PGlite and a real PostgreSQL server (pg pool, COPY load): results
// agree with the generator filtered in memory, and the planner reads the indexes, never scanning cars.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceBandOf } from '../../src/cars/features.ts';
import { type Car, generateCars } from '../../src/cars/generate.ts';
import { type CarFilters, type CarSearch, countCarsQuery, searchCarsQuery } from '../../src/db/car-sql.ts';
import { type CarStore, openCarStore } from '../../src/db/car-store.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../src/db/embedded/embedded-process.ts';
import { facetCountsQuery } from '../../src/db/facet-sql.ts';
import {
  popularCarsQuery,
  profileRecommendationsQuery,
  similarCarsQuery,
} from '../../src/db/recommend-sql.ts';
import { buildProfile } from '../../src/db/recommendations.ts';
import { CARS_AUTOVACUUM } from '../../src/db/schema.ts';
import {
  buildVocabulary,
  SELECT_SEARCH_TERMS,
  SELECT_TSQUERY,
  textTermsOf,
} from '../../src/db/text-terms.ts';
import { createDbInstrumentation } from '../../src/telemetry/db-client.ts';
import { startTelemetry } from '../../src/telemetry/sdk.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { matches } from '../support/expected-cars.ts';

const COUNT = 10_000;
const SEED = 42;
const cars = generateCars(COUNT, SEED);
const telemetry = startTelemetry({
  telemetryEnabled: false,
  serviceName: 'test',
  otlpEndpoint: 'http://127.0.0.1:1',
  metricExportIntervalMs: 1000,
});
const instrumentation = createDbInstrumentation(telemetry.tracer, telemetry.meter);
const pool = { max: 5, min: 1, idleTimeoutMs: 10_000, acquireTimeoutMs: 5_000 };

const byPrice = (a: Car, b: Car) => a.price - b.price || a.id - b.id;
const search = (filters: CarFilters, rest: Partial<CarSearch> = {}): CarSearch => ({
  sort: 'price',
  page: 1,
  pageSize: 100,
  ...filters,
  ...rest,
});

describe.each(['pglite', 'postgresql'] as const)('car store on %s', (engine) => {
  let store: CarStore;
  let database: TestDatabase | undefined;
  let embedded: EmbeddedDatabase | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    if (engine === 'postgresql') database = await createTestDatabase('car_store');
    else embedded = await startEmbeddedDatabase({ telemetryEnabled: false, log: () => {} });
    const url = database?.url ?? (embedded as EmbeddedDatabase).url;
    store = await openCarStore({
      carCount: COUNT,
      carSeed: SEED,
      instrumentation,
      log: (message) => logs.push(message),
      database: { url, engine, pool },
    });
  });

  afterAll(async () => {
    await store?.close();
    await embedded?.stop();
    await database?.drop();
  });

  it('loads every generated car and logs the count and time', async () => {
    const name = engine === 'pglite' ? 'PGlite' : 'PostgreSQL';
    expect(logs.at(-1)).toMatch(
      new RegExp(`^loaded 10000 cars \\(seed 42, 16 makes\\) into ${name} with indexes in \\d+ ms$`),
    );
    expect(await store.getCar(1)).toEqual(cars[0]);
    expect(await store.getCar(COUNT)).toEqual(cars[COUNT - 1]);
    expect(await store.getCar(COUNT + 1)).toBeUndefined();
    expect(store.listMakes()).toEqual([...new Set(cars.map((c) => c.make))].sort());
  });

  it.each<CarFilters>([
    {},
    { make: 'Toyota', minPrice: 5_000, maxPrice: 15_000 },
    { bodyType: 'suv', fuel: 'electric', minYear: 2022 },
    { model: 'Golf', transmission: 'manual', maxMileage: 100_000 },
    { city: 'Berlin', minMileage: 50_000, maxYear: 2015 },
    { make: 'NoSuchMake' },
  ])('filters %j return exactly the matching cars, by price then id', async (filters) => {
    const want = cars.filter((c) => matches(c, filters)).sort(byPrice);
    const first = await store.searchCars(search(filters));
    expect(first.total).toBe(want.length);
    expect(first.items).toEqual(want.slice(0, 100));
    expect((await store.searchCars(search(filters, { page: 3, pageSize: 7 }))).items).toEqual(
      want.slice(14, 21),
    );
  });

  it.each([
    ['price', (a: Car, b: Car) => a.price - b.price || a.id - b.id],
    ['-year', (a: Car, b: Car) => b.year - a.year || b.id - a.id],
    ['mileage', (a: Car, b: Car) => a.mileageKm - b.mileageKm || a.id - b.id],
  ] as const)(
    'walks every page of sort=%s with the keyset cursor, same as offset order',
    async (sort, order) => {
      const filters: CarFilters = { make: 'Audi', minYear: 2015 };
      const want = cars.filter((c) => matches(c, filters)).sort(order);
      const seen: number[] = [];
      let after: CarSearch['after'];
      for (let pages = 0; pages < 100; pages++) {
        const page = await store.searchCars(search(filters, { sort, pageSize: 50, after }));
        seen.push(...page.items.map((c) => c.id));
        if (page.next === undefined) break;
        after = page.next;
      }
      expect(seen).toEqual(want.map((c) => c.id));
    },
  );

  it('matches free text on full text, and falls back to trigrams for a typo', async () => {
    const exact = await store.searchCars(search({ q: 'bmw x5' }, { sort: 'relevance' }));
    const want = cars.filter((c) => c.make === 'BMW' && c.model === 'X5');
    expect(exact.textMode).toBe('fulltext');
    expect(exact.total).toBe(want.length);
    expect(exact.items.every((c) => c.make === 'BMW' && c.model === 'X5')).toBe(true);

    const typo = await store.searchCars(search({ q: 'toyta' }, { sort: 'relevance', pageSize: 20 }));
    expect(typo.textMode).toBe('fuzzy');
    expect(typo.total).toBeGreaterThan(0);
    expect(typo.items.every((c) => c.make === 'Toyota')).toBe(true);
  });

  // Plain words run as column conditions (text-terms.ts); every form must find exactly the cars the
  // full-text condition finds, with and without other filters.
  it.each<[string, CarFilters]>([
    ['a make', { q: 'Toyota' }],
    ['a hyphenated make and part of it', { q: 'Mercedes-Benz' }],
    ['part of a hyphenated make, filtered', { q: 'benz', maxPrice: 30_000 }],
    ['make and model', { q: 'bmw x5' }],
    ['a model of two words', { q: '3 Series' }],
    ['a colour and a city', { q: 'red berlin' }],
    ['a fuel word inside another fuel', { q: 'hybrid', bodyType: 'suv' }],
    ['a word no car has', { q: 'toyota zeppelin' }],
    ['a quoted phrase (full text kept)', { q: '"golf hatchback"' }],
    ['or (full text kept)', { q: 'tesla or porsche' }],
    ['a negation (full text kept)', { q: 'audi -diesel' }],
  ])('free text as %s finds exactly what full text finds', async (name, filters) => {
    const { q, ...rest } = filters;
    // The real vocabulary and PostgreSQL's parse decide which path runs: plain words → columns.
    const vocabulary = buildVocabulary(
      (await store.database.query<{ lexeme: string; field: string; value: string }>(SELECT_SEARCH_TERMS))
        .rows,
    );
    const tsquery = (await store.database.query<{ query: string }>(SELECT_TSQUERY, [q])).rows[0]!.query;
    expect(textTermsOf(tsquery, vocabulary) === null, tsquery).toBe(name.includes('full text kept'));
    const conditions = Object.entries(rest).map(([key, value]) => ({ key, value }));
    const expected = await store.database.query<{ id: number }>(
      `SELECT id FROM cars WHERE search_doc @@ websearch_to_tsquery('simple', $1) ORDER BY price, id`,
      [q],
    );
    const want = expected.rows
      .map((row) => cars[row.id - 1]!)
      .filter((c) => conditions.length === 0 || matches(c, rest));
    const found = await store.searchCars(search(filters, { pageSize: 100, textMode: 'fulltext' }));
    expect(found.total).toBe(want.length);
    expect(found.items.map((c) => c.id)).toEqual(want.slice(0, 100).map((c) => c.id));
  });

  it('counts facets under the filters, matching the data', async () => {
    const filters: CarFilters = { bodyType: 'suv', minPrice: 10_000 };
    const { counts: facets, relation } = await store.facetCounts(filters, 'fulltext');
    expect(relation).toBe('eq');
    const subset = cars.filter((c) => matches(c, filters));
    const countBy = (key: (c: Car) => string) => {
      const counts = new Map<string, number>();
      for (const c of subset) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
      return counts;
    };
    expect(new Map(facets.make.map((f) => [f.value, f.count]))).toEqual(countBy((c) => c.make));
    expect(new Map(facets.fuel.map((f) => [f.value, f.count]))).toEqual(countBy((c) => c.fuel));
    expect(facets.transmission.reduce((sum, f) => sum + f.count, 0)).toBe(subset.length);
    expect(facets.priceBand.reduce((sum, f) => sum + f.count, 0)).toBe(subset.length);
    expect(facets.bodyType).toEqual([{ value: 'suv', count: subset.length }]);
  });

  it.each<[string, CarFilters, 'fulltext' | 'fuzzy']>([
    ['filters', { bodyType: 'suv', minPrice: 10_000 }, 'fulltext'],
    ['full text', { q: 'bmw' }, 'fulltext'],
    ['trigram', { q: 'toyta' }, 'fuzzy'],
  ])(
    'estimates facets from a sample that, taken whole, gives the exact counts (%s)',
    async (_, filters, mode) => {
      type Row = { make: string | null; fuel: string | null; n: number; sampled: number };
      const read = async (percent?: number) => {
        const query = facetCountsQuery(filters, mode, percent);
        const rows = (await store.database.query<Row>(query.text, query.values)).rows;
        const sampled = rows.find((r) => r.make === null && r.fuel === null)?.sampled;
        const counts = rows.filter((r) => r.n > 0 && r.make !== null).map((r) => [r.make, r.n]);
        return { sampled, counts: new Map(counts as [string, number][]) };
      };
      const exact = await read();
      const whole = await read(100);
      expect(whole.sampled).toBe(COUNT);
      expect(exact.counts.size).toBeGreaterThan(0);
      expect(whole.counts).toEqual(exact.counts);
      const part = await read(20);
      expect(part.sampled).toBeGreaterThan(0);
      expect(part.sampled).toBeLessThan(COUNT);
    },
  );

  it('treats injection attempts as plain values', async () => {
    expect((await store.searchCars(search({ make: "BMW' OR '1'='1" }))).total).toBe(0);
    const dropped = await store.searchCars(search({ q: "'; DROP TABLE cars; --" }));
    expect(dropped.total).toBe(0);
    expect((await store.searchCars(search({ q: 'x) OR 1=1 --' }))).items.length).toBeLessThanOrEqual(100);
    expect((await store.searchCars(search({}))).total).toBe(COUNT);
  });

  it('finds similar cars of the same body type, never the car itself, best score first', async () => {
    const car = cars[99]!;
    const similar = (await store.similarCars(car.id, 10))!;
    expect(similar).toHaveLength(10);
    expect(similar.every((c) => c.bodyType === car.bodyType && c.id !== car.id)).toBe(true);
    expect(similar.map((c) => c.score)).toEqual([...similar.map((c) => c.score)].sort((a, b) => b - a));
    expect(await store.similarCars(COUNT + 1, 10)).toBeUndefined();
  });

  it('recommends from the given cars, or the most popular cars without any', async () => {
    const seeds = [cars[0]!, cars[1]!];
    const profile = await store.recommend([seeds[0]!.id, seeds[1]!.id], 10);
    expect(profile.basis).toBe('profile');
    expect(profile.items).toHaveLength(10);
    expect(profile.items.some((c) => seeds.some((s) => s.id === c.id))).toBe(false);
    expect(profile.items.every((c) => seeds.some((s) => s.bodyType === c.bodyType))).toBe(true);

    const popular = await store.recommend([], 5);
    expect(popular.basis).toBe('popular');
    const top = [...cars].sort((a, b) => b.favouriteCount - a.favouriteCount || a.id - b.id).slice(0, 5);
    expect(popular.items.map((c) => c.id)).toEqual(top.map((c) => c.id));
  });

  it.each<[string, CarFilters, Partial<CarSearch>]>([
    ['make + price', { make: 'BMW', minPrice: 10_000, maxPrice: 30_000 }, {}],
    ['model', { model: 'Golf' }, {}],
    ['body type, by year', { bodyType: 'convertible' }, { sort: '-year' }],
    ['city', { city: 'Dublin' }, {}],
    ['year range', { minYear: 2024 }, { sort: 'year' }],
    ['mileage range', { maxMileage: 5_000 }, { sort: 'mileage' }],
    ['full text', { q: 'porsche 911' }, { sort: 'relevance', textMode: 'fulltext' }],
    ['trigram', { q: 'porshe' }, { sort: 'relevance', textMode: 'fuzzy' }],
    ['trigram, by price', { q: 'porshe', maxPrice: 80_000 }, { sort: 'price', textMode: 'fuzzy' }],
    ['make + body type + price', { make: 'BMW', bodyType: 'estate', minPrice: 15_000 }, {}],
    ['transmission', { transmission: 'manual' }, { sort: '-price' }],
    ['cursor', { make: 'Mazda' }, { after: { key: 20_000, id: 500 } }],
  ])('plans %s through an index, with no sequential scan on cars', async (_, filters, rest) => {
    const query = search(filters, { pageSize: 20, ...rest });
    const count = countCarsQuery(filters, query.textMode);
    const matches = (await store.database.query<{ total: number }>(count.text, count.values)).rows[0]!.total;
    for (const sql of [
      searchCarsQuery(query),
      // As the store runs it: few matches are all read and sorted, many are read in the sort's order.
      searchCarsQuery(query, { matches, tableRows: COUNT }),
      countCarsQuery(filters, query.textMode),
      // Exact facets read every match: at 1 M cars only when at most 1 % match (else sampled); a
      // filter matching half of these 10 000 cars is rightly read sequentially, so it is left out.
      ...(matches <= COUNT / 20 ? [facetCountsQuery(filters, query.textMode)] : []),
      facetCountsQuery(filters, query.textMode, 2),
    ]) {
      const plan = (await store.explain(sql)).join('\n');
      expect(plan, plan).not.toMatch(/Seq Scan on cars/);
    }
  });

  it.runIf(engine === 'postgresql')(
    'has the cars vacuumed after a few hundred price changes, not after 20 % of the table',
    async () => {
      const client = new pg.Client({ connectionString: database!.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ reloptions: string[] }>(
          "SELECT reloptions FROM pg_class WHERE relname = 'cars'",
        );
        expect(rows[0]?.reloptions).toEqual(CARS_AUTOVACUUM.split(', ').map((o) => o.replace(/ = /, '=')));
      } finally {
        await client.end();
      }
    },
  );

  it('plans similar cars and recommendations through indexes, with no sequential scan on cars', async () => {
    const seeds = cars.slice(0, 3).map((c) => ({ ...c, priceBand: priceBandOf(c.price) }));
    for (const sql of [
      similarCarsQuery(cars[99]!, 10),
      popularCarsQuery(10),
      profileRecommendationsQuery(buildProfile(seeds), 10),
    ]) {
      const plan = (await store.explain(sql)).join('\n');
      expect(plan, plan).not.toMatch(/Seq Scan on cars/);
    }
  });
});

describe('search bulkhead on postgresql', () => {
  /** Most pooled connections in use at once while six slow searches run together. */
  async function peakInUse(searchConcurrency: number | undefined): Promise<number> {
    const database = await createTestDatabase('car_bulkhead');
    const store = await openCarStore({
      carCount: 1_000,
      carSeed: SEED,
      instrumentation,
      log: () => {},
      database: { url: database.url, pool: { ...pool, max: 8 }, searchConcurrency },
    });
    try {
      store.database.setQueryDelay(() => 40);
      let peak = 0;
      let running = true;
      const sampler = (async () => {
        while (running) {
          const stats = store.poolStats()!;
          peak = Math.max(peak, stats.total - stats.idle);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const makes = ['Toyota', 'BMW', 'Audi', 'Ford', 'Kia', 'Fiat'];
      await Promise.all(makes.map((make) => store.searchCars(search({ make }))));
      running = false;
      await sampler;
      return peak;
    } finally {
      await store.close();
      await database.drop();
    }
  }

  it('keeps at most searchConcurrency searches on pooled connections; unbounded, they take more', async () => {
    expect(await peakInUse(2)).toBe(2);
    expect(await peakInUse(undefined)).toBeGreaterThan(2);
  });
});
