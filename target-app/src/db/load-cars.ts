// Makes the database hold exactly the seeded dataset (count, seed, schema version): reused when it
// already does (a server database loaded earlier, e.g. by the generator CLI), else rebuilt —
// COPY FROM STDIN on PostgreSQL, unnest batches on PGlite — then indexed and analysed.
import { type Car, generateCarBatches } from '../cars/generate.ts';
import type { Database, Session } from './database.ts';
import {
  ANALYZE_CARS,
  CREATE_INDEXES,
  CREATE_SCHEMA,
  FILL_CAR_MODELS,
  INSERT_CARS,
  INSERT_DATASET,
  LOAD_COLUMNS,
  SCHEMA_VERSION,
  SELECT_DATASET,
} from './schema.ts';
import { FILL_SEARCH_TERMS } from './text-terms.ts';

export type LoadOptions = {
  carCount: number;
  carSeed: number;
  log: (message: string) => void;
  /** Rebuild even when the database already holds this dataset. */
  force?: boolean;
  batchSize?: number;
};

export type LoadResult = {
  reused: boolean;
  carCount: number;
  /** Milliseconds for rows, indexes and ANALYZE (0 when reused). */
  loadMs: number;
  rowsMs: number;
  indexMs: number;
};

// Several app instances may start against one server database: one loads, the others wait and reuse.
const LOAD_LOCK = "SELECT pg_advisory_lock(hashtext('car-suggester:cars'))";
const LOAD_UNLOCK = "SELECT pg_advisory_unlock(hashtext('car-suggester:cars'))";

export async function ensureCarDataset(db: Database, options: LoadOptions): Promise<LoadResult> {
  return db.withSession(async (session) => {
    if (db.engine === 'postgresql') await session.query(LOAD_LOCK);
    try {
      if (!options.force && (await holdsDataset(session, options))) {
        options.log(`reusing ${options.carCount} cars (seed ${options.carSeed}) already in the database`);
        return { reused: true, carCount: options.carCount, loadMs: 0, rowsMs: 0, indexMs: 0 };
      }
      return await rebuild(db, session, options);
    } finally {
      if (db.engine === 'postgresql') await session.query(LOAD_UNLOCK);
    }
  });
}

async function holdsDataset(session: Session, options: LoadOptions): Promise<boolean> {
  const present = await session.query<{ ok: boolean }>(
    "SELECT to_regclass('car_dataset') IS NOT NULL AND to_regclass('cars') IS NOT NULL AS ok",
  );
  if (!present.rows[0]?.ok) return false;
  const { rows } = await session.query<{ carCount: number; seed: number; schemaVersion: number }>(
    SELECT_DATASET,
  );
  const row = rows[0];
  return (
    row !== undefined &&
    row.carCount === options.carCount &&
    row.seed === options.carSeed &&
    row.schemaVersion === SCHEMA_VERSION
  );
}

async function rebuild(db: Database, session: Session, options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const total = options.carCount;
  const maintenanceMemory = `SET maintenance_work_mem = '${db.engine === 'postgresql' ? '256MB' : '64MB'}'`;
  await session.exec(maintenanceMemory);
  await session.exec(CREATE_SCHEMA);
  const progressEvery = Math.max(50_000, Math.ceil(total / 10));
  let loaded = 0;
  let nextProgress = progressEvery;
  const progress = (count: number) => {
    loaded += count;
    if (loaded >= nextProgress && loaded < total) {
      const seconds = (performance.now() - started) / 1000;
      options.log(
        `loading cars: ${loaded}/${total} (${Math.round((100 * loaded) / total)} %, ${Math.round(loaded / seconds)} rows/s)`,
      );
      nextProgress += progressEvery;
    }
  };
  const batches = generateCarBatches(total, options.carSeed, options.batchSize ?? 5_000);
  if (session.copyIn !== undefined) {
    await session.copyIn(`COPY cars (${LOAD_COLUMNS}) FROM STDIN`, copyLines(batches, progress));
  } else {
    for (const batch of batches) {
      await session.query(INSERT_CARS, insertCarsParams(batch));
      progress(batch.length);
    }
  }
  const rowsDone = performance.now();
  options.log(`loaded ${total} rows in ${Math.round(rowsDone - started)} ms; building indexes`);
  await session.exec(FILL_CAR_MODELS);
  await session.exec(FILL_SEARCH_TERMS);
  await buildIndexes(db, session, maintenanceMemory);
  await session.exec(ANALYZE_CARS);
  await session.query(INSERT_DATASET, [total, options.carSeed, SCHEMA_VERSION]);
  const done = performance.now();
  return {
    reused: false,
    carCount: total,
    loadMs: Math.round(done - started),
    rowsMs: Math.round(rowsDone - started),
    indexMs: Math.round(done - rowsDone),
  };
}

/**
 * On a server, two connections build indexes side by side (GIN builds are single-threaded and
 * dominate, and this machine has two cores); the slowest go first. PGlite has one connection.
 */
async function buildIndexes(db: Database, session: Session, setup: string): Promise<void> {
  const queue = [...CREATE_INDEXES].sort((a, b) => Number(b.includes('gin')) - Number(a.includes('gin')));
  const lane = async (on: Session) => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await on.exec(next);
  };
  // A second connection is only there when the pool allows two (DB_POOL_MAX=1 would wait forever).
  if (db.engine === 'pglite' || (db.poolStats()?.max ?? 1) < 2) return lane(session);
  await Promise.all([
    lane(session),
    db.withSession(async (other) => {
      await other.exec(setup);
      await lane(other);
    }),
  ]);
}

function* copyLines(batches: Iterable<Car[]>, progress: (count: number) => void): Generator<string> {
  for (const batch of batches) {
    for (const c of batch) {
      yield `${c.id}\t${copyText(c.make)}\t${copyText(c.model)}\t${c.year}\t${c.price}\t${c.mileageKm}\t${c.bodyType}\t${c.fuel}\t${c.transmission}\t${c.colour}\t${copyText(c.city)}\t${c.dealerId}\t{${c.features.join(',')}}\t${c.favouriteCount}\n`;
    }
    progress(batch.length);
  }
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

function insertCarsParams(cars: readonly Car[]): unknown[] {
  return [
    cars.map((c) => c.id),
    cars.map((c) => c.make),
    cars.map((c) => c.model),
    cars.map((c) => c.year),
    cars.map((c) => c.price),
    cars.map((c) => c.mileageKm),
    cars.map((c) => c.bodyType),
    cars.map((c) => c.fuel),
    cars.map((c) => c.transmission),
    cars.map((c) => c.colour),
    cars.map((c) => c.city),
    cars.map((c) => c.dealerId),
    cars.map((c) => c.features.join(',')),
    cars.map((c) => c.favouriteCount),
  ];
}
