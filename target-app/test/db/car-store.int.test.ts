// The car table in real PGlite: SQL results agree with the generator filtered in memory, and the
// planner uses the btree indexes for the filters the API offers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Car, generateCars } from '../../src/cars/generate.ts';
import type { CarFilters } from '../../src/db/car-sql.ts';
import { type CarStore, openCarStore } from '../../src/db/car-store.ts';
import { createDbInstrumentation } from '../../src/telemetry/db-client.ts';
import { startTelemetry } from '../../src/telemetry/sdk.ts';

const COUNT = 20_000;
const SEED = 42;
let store: CarStore;
const logs: string[] = [];
const cars = generateCars(COUNT, SEED);

beforeAll(async () => {
  const telemetry = startTelemetry({
    telemetryEnabled: false,
    serviceName: 'test',
    otlpEndpoint: 'http://127.0.0.1:1',
    metricExportIntervalMs: 1000,
  });
  store = await openCarStore({
    carCount: COUNT,
    carSeed: SEED,
    instrumentation: createDbInstrumentation(telemetry.tracer, telemetry.meter),
    log: (message) => logs.push(message),
  });
});

afterAll(async () => {
  await store?.close();
});

function expected(filters: CarFilters): Car[] {
  return cars
    .filter(
      (c) =>
        (filters.make === undefined || c.make === filters.make) &&
        (filters.bodyType === undefined || c.bodyType === filters.bodyType) &&
        (filters.fuel === undefined || c.fuel === filters.fuel) &&
        (filters.minPrice === undefined || c.price >= filters.minPrice) &&
        (filters.maxPrice === undefined || c.price <= filters.maxPrice) &&
        (filters.minYear === undefined || c.year >= filters.minYear) &&
        (filters.maxYear === undefined || c.year <= filters.maxYear),
    )
    .sort((a, b) => a.price - b.price || a.id - b.id);
}

describe('openCarStore', () => {
  it('loads every generated car and logs one line with count and elapsed time', async () => {
    expect(logs.at(-1)).toMatch(
      /^loaded 20000 cars \(seed 42, 16 makes\) into PGlite with indexes in \d+ ms$/,
    );
    expect(await store.getCar(1)).toEqual(cars[0]);
    expect(await store.getCar(COUNT)).toEqual(cars[COUNT - 1]);
    expect(await store.getCar(COUNT + 1)).toBeUndefined();
    expect(store.listMakes()).toEqual([...new Set(cars.map((c) => c.make))].sort());
  });

  it.each<CarFilters>([
    {},
    { make: 'BMW' },
    { make: 'Toyota', minPrice: 5_000, maxPrice: 15_000 },
    { bodyType: 'suv', fuel: 'electric', minYear: 2022 },
    { fuel: 'diesel', maxYear: 2010, maxPrice: 3_000 },
    { make: 'Porsche', bodyType: 'coupe', minPrice: 50_000, minYear: 2020, maxYear: 2024 },
    { make: 'NoSuchMake' },
  ])('search %j returns exactly the matching cars, by price then id', async (filters) => {
    const want = expected(filters);
    const first = await store.searchCars({ ...filters, page: 1, pageSize: 100 });
    expect(first.total).toBe(want.length);
    expect(first.items).toEqual(want.slice(0, 100));
    const third = await store.searchCars({ ...filters, page: 3, pageSize: 7 });
    expect(third.items).toEqual(want.slice(14, 21));
  });

  it('uses the (make, price, id) index for make + price filters, not a sequential scan', async () => {
    const plan = (await store.explainSearch({ make: 'BMW', minPrice: 10_000, maxPrice: 30_000 })).join('\n');
    expect(plan).toContain('cars_make_price_idx');
    expect(plan).not.toContain('Seq Scan');
  });

  it('uses an index for the unfiltered, price-ordered first page too', async () => {
    const plan = (await store.explainSearch({})).join('\n');
    expect(plan).toContain('cars_price_id_idx');
    expect(plan).not.toContain('Seq Scan');
  });
});
