// The car table in embedded PostgreSQL (PGlite, in memory): created, bulk-loaded from the seeded
// generator, indexed and analysed at start; then read by the API. Each query runs inside a DB span.
import { PGlite } from '@electric-sql/pglite';
import type { Context } from '@opentelemetry/api';
import { type Car, generateCarBatches } from '../cars/generate.ts';
import type { DbInstrumentation } from '../telemetry/db-client.ts';
import {
  ANALYZE_CARS,
  type CarFilters,
  type CarSearch,
  CREATE_CARS_INDEXES,
  CREATE_CARS_TABLE,
  countCarsQuery,
  INSERT_CARS,
  insertCarsParams,
  SELECT_CAR_BY_ID,
  SELECT_MAKES,
  searchCarsQuery,
} from './car-sql.ts';

export type CarPage = { items: Car[]; total: number };

export type CarStore = {
  searchCars(search: CarSearch, parent?: Context): Promise<CarPage>;
  getCar(id: number, parent?: Context): Promise<Car | undefined>;
  /** Distinct makes, read once after loading (the data never changes while the app runs). */
  listMakes(): readonly string[];
  /** The planner's plan for a search, one line per entry; shows which index a filter uses. */
  explainSearch(filters: CarFilters): Promise<string[]>;
  close(): Promise<void>;
};

export type CarStoreOptions = {
  carCount: number;
  carSeed: number;
  instrumentation: DbInstrumentation;
  log: (message: string) => void;
  batchSize?: number;
};

export async function openCarStore(options: CarStoreOptions): Promise<CarStore> {
  const { instrumentation: db, log } = options;
  const started = performance.now();
  const pg = await PGlite.create();
  try {
    await pg.exec(CREATE_CARS_TABLE);
    const progressEvery = Math.max(100_000, Math.ceil(options.carCount / 10));
    let loaded = 0;
    let nextProgress = progressEvery;
    for (const batch of generateCarBatches(options.carCount, options.carSeed, options.batchSize ?? 5_000)) {
      await pg.query(INSERT_CARS, insertCarsParams(batch));
      loaded += batch.length;
      if (loaded >= nextProgress && loaded < options.carCount) {
        log(`loading cars: ${loaded}/${options.carCount} after ${elapsedMs(started)} ms`);
        nextProgress += progressEvery;
      }
    }
    for (const statement of CREATE_CARS_INDEXES) await pg.exec(statement);
    await pg.exec(ANALYZE_CARS);
    const makes = (await pg.query<{ make: string }>(SELECT_MAKES)).rows.map((row) => row.make);
    log(
      `loaded ${loaded} cars (seed ${options.carSeed}, ${makes.length} makes) into PGlite with indexes in ${elapsedMs(started)} ms`,
    );

    return {
      async searchCars(search, parent) {
        const page = searchCarsQuery(search);
        const count = countCarsQuery(search);
        const items = await db.run(
          { operation: 'SELECT', collection: 'cars', text: page.text },
          parent,
          async () => {
            return (await pg.query<Car>(page.text, page.values)).rows;
          },
        );
        const total = await db.run(
          { operation: 'SELECT', collection: 'cars', text: count.text },
          parent,
          async () => {
            return (await pg.query<{ total: number }>(count.text, count.values)).rows[0]?.total ?? 0;
          },
        );
        return { items, total };
      },
      async getCar(id, parent) {
        return db.run(
          { operation: 'SELECT', collection: 'cars', text: SELECT_CAR_BY_ID },
          parent,
          async () => {
            return (await pg.query<Car>(SELECT_CAR_BY_ID, [id])).rows[0];
          },
        );
      },
      listMakes: () => makes,
      async explainSearch(filters) {
        const query = searchCarsQuery({ ...filters, page: 1, pageSize: 20 });
        const result = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.values);
        return result.rows.map((row) => row['QUERY PLAN']);
      },
      close: () => pg.close(),
    };
  } catch (error) {
    await pg.close();
    throw error;
  }
}

function elapsedMs(since: number): number {
  return Math.round(performance.now() - since);
}
