// The generator CLI against a real PostgreSQL database: loads with COPY and reports progress and
// time; a second run reuses the dataset; bad arguments exit 2 with the usage.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCars } from '../../src/cars/generate.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../src/cli/generate.ts', import.meta.url));

async function generate(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('cli_generate');
});

afterAll(async () => {
  await database?.drop();
});

describe('generate CLI', () => {
  it('loads the seeded cars, reports progress and time, then reuses them', async () => {
    const first = await generate('--count', '60000', '--seed', '7', '--database-url', database.url);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^loading cars: 50000\/60000 \(83 %, \d+ rows\/s\)$/m);
    expect(first.stdout).toMatch(
      /^loaded 60000 cars in [\d.]+ s \(rows [\d.]+ s, indexes \+ analyze [\d.]+ s; \d+ cars\/s overall\)$/m,
    );

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n, max(price) AS max FROM cars');
      const cars = generateCars(60_000, 7);
      expect(rows[0]).toEqual({ n: 60_000, max: Math.max(...cars.map((c) => c.price)) });
      const car = await client.query('SELECT features, favourite_count FROM cars WHERE id = 777');
      expect(car.rows[0]).toEqual({
        features: cars[776]!.features,
        favourite_count: cars[776]!.favouriteCount,
      });
    } finally {
      await client.end();
    }

    const again = await generate('--count', '60000', '--seed', '7', '--database-url', database.url);
    expect(again.stdout).toContain('nothing to do: the database already holds this dataset');
  });

  it('exits 2 with the usage for bad arguments or no database', async () => {
    const bad = await generate('--count', 'many', '--database-url', database.url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--count must be a whole number[\s\S]*usage: generate.ts/);
    const noDb = await generate('--count', '10');
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain('no database: pass --database-url or set DATABASE_URL');
  });
});
