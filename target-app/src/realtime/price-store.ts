// The price changer's SQL: each change updates the car's price and appends a price_history row in
// one statement (so both commit together), returning what was changed.
import type { Queryable } from '../db/database.ts';
import type { DbInstrumentation } from '../telemetry/db-client.ts';
import type { PriceChange } from './messages.ts';

/** Idempotent; no foreign key, because a dataset rebuild drops and recreates `cars`. */
export const CREATE_PRICE_HISTORY = `
CREATE TABLE IF NOT EXISTS price_history (
  id bigserial PRIMARY KEY,
  car_id integer NOT NULL,
  old_price integer NOT NULL,
  new_price integer NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS price_history_car_id_idx ON price_history (car_id, id)`;

// Rows are locked in id order first: two instances changing overlapping cars then wait for each
// other instead of deadlocking. Prices move by a factor and never drop under 100.
export const CHANGE_PRICES = `
WITH locked AS (
  SELECT c.id, c.price, d.factor
  FROM cars AS c JOIN unnest($1::integer[], $2::float8[]) AS d(id, factor) ON d.id = c.id
  ORDER BY c.id
  FOR UPDATE OF c
),
changed AS (
  UPDATE cars AS c SET price = GREATEST(100, round(l.price * l.factor)::integer)
  FROM locked AS l
  WHERE c.id = l.id
  RETURNING c.id, l.price AS old_price, c.price AS new_price
)
INSERT INTO price_history (car_id, old_price, new_price)
SELECT id, old_price, new_price FROM changed
RETURNING car_id AS "carId", new_price AS price, old_price AS "previousPrice"`;

// Newest first by id: ids follow the order rows were written, which for one car is the order its
// changes committed (changes to a car wait for each other's row lock).
export const SELECT_PRICE_HISTORY = `
SELECT old_price AS "previousPrice", new_price AS price, changed_at AS "changedAt"
FROM price_history WHERE car_id = $1 ORDER BY id DESC LIMIT $2`;

export type PriceStore = {
  changePrices(changes: readonly { carId: number; factor: number }[]): Promise<PriceChange[]>;
};

/** Errors worth ignoring when several instances create the table at the same moment. */
const CONCURRENT_CREATE = new Set(['23505', '42P07', '42710']);

/** Creates price_history when missing; `exec` runs several statements on one connection. */
export async function ensurePriceHistory(exec: (sql: string) => Promise<void>): Promise<void> {
  try {
    await exec(CREATE_PRICE_HISTORY);
  } catch (error) {
    if (!CONCURRENT_CREATE.has(String((error as { code?: unknown }).code))) throw error;
  }
}

export function createPriceStore(db: Queryable, instrumentation: DbInstrumentation): PriceStore {
  return {
    async changePrices(changes) {
      if (changes.length === 0) return [];
      const rows = await instrumentation.run(
        { operation: 'UPDATE', collection: 'cars', text: CHANGE_PRICES },
        undefined,
        async () =>
          (
            await db.query<{ carId: number; price: number; previousPrice: number }>(CHANGE_PRICES, [
              changes.map((c) => c.carId),
              changes.map((c) => c.factor),
            ])
          ).rows,
      );
      // The statement has committed: this is the moment clients measure delivery latency from.
      const changedAt = Date.now();
      return rows.map((row) => ({ ...row, changedAt }));
    },
  };
}
