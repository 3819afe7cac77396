// Data generator CLI: loads the seeded car dataset into a PostgreSQL database (COPY), builds the
// indexes, and reports the time. The app started with the same CAR_COUNT and CAR_SEED reuses it.
//   node target-app/src/cli/generate.ts --count 1000000 [--seed 42] [--database-url URL] [--force]
import { parseArgs } from 'node:util';
import { type Database, openPostgres, redactUrl } from '../db/database.ts';
import { ensureCarDataset } from '../db/load-cars.ts';
import { ConfigError, parseConfig } from '../env.ts';

const USAGE =
  'usage: generate.ts [--count N (default 100000)] [--seed N (default 42)] [--database-url postgres://…] [--force]';

function fail(message: string): never {
  console.error(`generate: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli();
  } catch (error) {
    fail((error as Error).message);
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig({
      carCount: args.count,
      carSeed: args.seed,
      ...(args.databaseUrl === undefined ? {} : { databaseUrl: args.databaseUrl }),
    });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (config.databaseUrl === undefined) fail('no database: pass --database-url or set DATABASE_URL');

  const started = performance.now();
  const db: Database = await openPostgres(config.databaseUrl, {
    // One connection holds the load lock and loads; a second builds indexes alongside it.
    max: 2,
    min: 0,
    idleTimeoutMs: 10_000,
    acquireTimeoutMs: config.dbPoolAcquireTimeoutMs,
  });
  try {
    console.log(
      `generating ${config.carCount} cars (seed ${config.carSeed}) into ${redactUrl(config.databaseUrl)}`,
    );
    const result = await ensureCarDataset(db, {
      carCount: config.carCount,
      carSeed: config.carSeed,
      force: args.force,
      log: (message) => console.log(message),
    });
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    if (result.reused) {
      console.log('nothing to do: the database already holds this dataset (use --force to reload)');
    } else {
      console.log(
        `loaded ${result.carCount} cars in ${seconds(result.loadMs)} s (rows ${seconds(result.rowsMs)} s, indexes + analyze ${seconds(result.indexMs)} s; ${Math.round(result.carCount / (result.loadMs / 1000))} cars/s overall)`,
      );
    }
    console.log(`total ${seconds(performance.now() - started)} s`);
  } finally {
    await db.close();
  }
}

function parseCli() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '42' },
      'database-url': { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const whole = (name: string, text: string) => {
    if (!/^\d+$/.test(text))
      throw new Error(`--${name} must be a whole number (got ${JSON.stringify(text)})`);
    return Number(text);
  };
  return {
    count: whole('count', values.count),
    seed: whole('seed', values.seed),
    databaseUrl: values['database-url'],
    force: values.force,
  };
}

main().catch((error: unknown) => {
  console.error('generate failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
