// The cars schema: table, derived search columns, and the indexes each query needs. Indexes are
// built after the bulk load (cheaper than maintaining them row by row).
import { PRICE_BANDS } from '../cars/features.ts';
import { CREATE_AVATARS } from '../uploads/avatar-sql.ts';

/** Bump when the table or its indexes change: a server database with another version is reloaded. */
export const SCHEMA_VERSION = 8;

const priceBandCase = `CASE ${PRICE_BANDS.slice(1)
  .reverse()
  .map((b) => `WHEN price >= ${b.min} THEN ${b.band}`)
  .join(' ')} ELSE 0 END`;

const searchText = `make || ' ' || model || ' ' || body_type || ' ' || fuel || ' ' || transmission || ' ' || colour || ' ' || city`;

/**
 * Vacuum the cars after every ~500 changed rows instead of PostgreSQL's default 20 % of the table
 * (200 000 at 1 M cars: never, at the price changer's 5 per second). A price change is never a HOT
 * update (every search index carries the price), so each one leaves a dead row in 14 indexes, a GIN
 * pending-list entry, and a heap page that is no longer all-visible, where index-only scans read the
 * table again. Measured at 1 M cars: 3,000 changes (10 minutes of the price changer) took 5,350 of 48,098
 * pages out of the visibility map and 3,000 entries into the GIN pending list, and cache-missing
 * searches (300 replayed one at a time) went from p95 57 to 71 ms; a VACUUM (1.8 s) brought them back.
 */
export const CARS_AUTOVACUUM = 'autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500';

export const CREATE_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- Favourites point at cars (and are counted in cars.favourite_count): a new dataset starts without them.
DROP TABLE IF EXISTS favourites;
DROP TABLE IF EXISTS cars;
CREATE TABLE cars (
  id integer PRIMARY KEY,
  make text NOT NULL,
  model text NOT NULL,
  year smallint NOT NULL,
  price integer NOT NULL CHECK (price >= 0),
  mileage_km integer NOT NULL CHECK (mileage_km >= 0),
  body_type text NOT NULL,
  fuel text NOT NULL,
  transmission text NOT NULL,
  colour text NOT NULL,
  city text NOT NULL,
  dealer_id integer NOT NULL,
  features text[] NOT NULL,
  favourite_count integer NOT NULL DEFAULT 0 CHECK (favourite_count >= 0),
  price_band smallint GENERATED ALWAYS AS (${priceBandCase}) STORED,
  search_doc tsvector GENERATED ALWAYS AS (to_tsvector('simple', ${searchText})) STORED
) WITH (${CARS_AUTOVACUUM});
-- The make/model vocabulary (a few dozen rows): typos are matched here by trigram similarity, then
-- cars are read through the make/model indexes, instead of trigram-matching a million rows.
DROP TABLE IF EXISTS car_models;
CREATE TABLE car_models (
  make text NOT NULL,
  model text NOT NULL,
  name text NOT NULL,
  PRIMARY KEY (make, model)
);
CREATE TABLE IF NOT EXISTS car_dataset (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  car_count integer NOT NULL,
  seed bigint NOT NULL,
  schema_version integer NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);
DELETE FROM car_dataset;
`;

/**
 * The columns a search can filter on, the price band its facets count, and colour: with the other
 * text columns it lets plain free text be tested in the index too (text-terms.ts).
 */
const FILTER_COLUMNS = [
  'colour',
  'make',
  'model',
  'body_type',
  'fuel',
  'transmission',
  'city',
  'price',
  'year',
  'mileage_km',
  'price_band',
];

/**
 * A search index: its key columns, then every other filter column carried along (INCLUDE), so that
 * whatever filters a search combines, the rows can be chosen (and counted) from the index alone, an
 * index-only scan, without reading a table row per candidate. At 1 M cars, `year >= 2019` sorted by
 * price walked 330 000 table rows in 0.96 s (the cheap cars are old); the same walk in the index
 * takes ~65 ms, and fuel + transmission counted through the fuel index reads only that fuel's entries.
 */
function searchIndex(name: string, keys: string[]): string {
  const carried = FILTER_COLUMNS.filter((c) => !keys.includes(c)).join(', ');
  return `CREATE INDEX ${name} ON cars (${keys.join(', ')}) INCLUDE (${carried})`;
}

// Each equality filter leads a btree that continues with (price, id), so "filter, then order by
// price" reads rows already in order and keyset cursors seek straight to the next page; year and
// mileage lead their own for the other sorts.
export const CREATE_INDEXES = [
  searchIndex('cars_price_id_idx', ['price', 'id']),
  searchIndex('cars_make_price_idx', ['make', 'price', 'id']),
  // make + body type is the commonest pair of filters (the k6 browse journey sends it with a price
  // range): the BMW estates in a price range are one contiguous stretch of this index.
  searchIndex('cars_make_body_type_price_idx', ['make', 'body_type', 'price', 'id']),
  searchIndex('cars_model_price_idx', ['model', 'price', 'id']),
  searchIndex('cars_body_type_price_idx', ['body_type', 'price', 'id']),
  searchIndex('cars_fuel_price_idx', ['fuel', 'price', 'id']),
  searchIndex('cars_transmission_price_idx', ['transmission', 'price', 'id']),
  searchIndex('cars_city_price_idx', ['city', 'price', 'id']),
  searchIndex('cars_year_idx', ['year', 'id']),
  searchIndex('cars_mileage_idx', ['mileage_km', 'id']),
  'CREATE INDEX cars_popularity_idx ON cars (favourite_count DESC, id)',
  'CREATE INDEX cars_band_popularity_idx ON cars (body_type, price_band, favourite_count DESC, id)',
  'CREATE INDEX cars_search_doc_idx ON cars USING gin (search_doc)',
] as const;

export const FILL_CAR_MODELS = `
INSERT INTO car_models (make, model, name) SELECT DISTINCT make, model, lower(make || ' ' || model) FROM cars;
CREATE INDEX car_models_name_trgm_idx ON car_models USING gin (name gin_trgm_ops);
ANALYZE car_models`;

// VACUUM (not only ANALYZE) sets the visibility map, so counts run as index-only scans.
export const ANALYZE_CARS = 'VACUUM ANALYZE cars';

export const SELECT_DATASET =
  'SELECT car_count AS "carCount", seed::float8 AS seed, schema_version AS "schemaVersion" FROM car_dataset';

export const INSERT_DATASET = 'INSERT INTO car_dataset (car_count, seed, schema_version) VALUES ($1, $2, $3)';

/** Columns the loader writes, in this order (the generated ones are derived by the database). */
export const LOAD_COLUMNS =
  'id, make, model, year, price, mileage_km, body_type, fuel, transmission, colour, city, dealer_id, features, favourite_count';

export const INSERT_CARS = `
INSERT INTO cars (${LOAD_COLUMNS})
SELECT id, make, model, year, price, mileage_km, body_type, fuel, transmission, colour, city, dealer_id,
  string_to_array(features, ','), favourite_count
FROM unnest(
  $1::integer[], $2::text[], $3::text[], $4::smallint[], $5::integer[], $6::integer[],
  $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::text[], $14::integer[]
) AS t(id, make, model, year, price, mileage_km, body_type, fuel, transmission, colour, city, dealer_id,
  features, favourite_count)`;

/**
 * Accounts, their refresh tokens, the verification-mail outbox, favourites and profile pictures.
 * Created after the cars (favourites reference them) and kept across restarts on a server; idempotent,
 * so a table or column added here (as avatars and users.public_id were) appears in an existing database
 * at the next start without reloading the cars.
 */
export const CREATE_ACCOUNT_TABLES = `
CREATE TABLE IF NOT EXISTS users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  verify_token_hash text,
  verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Tokens name users by public_id: a random UUID is never handed out again, as the serial id is by a
-- new (or forgotten embedded) database. Added to databases created before it, one UUID per row.
ALTER TABLE users ADD COLUMN IF NOT EXISTS public_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX IF NOT EXISTS users_public_id_idx ON users (public_id);
-- A refresh token is good only while its jti is a row here: spent by rotation, removed with its
-- session at logout, unknown to any other database.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  id uuid PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id uuid NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refresh_tokens_session_idx ON refresh_tokens (session_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_user_idx ON refresh_tokens (user_id, expires_at);
CREATE TABLE IF NOT EXISTS email_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  delivered_to text,
  last_error text
);
CREATE INDEX IF NOT EXISTS users_verify_token_idx ON users (verify_token_hash) WHERE verify_token_hash IS NOT NULL;
CREATE INDEX IF NOT EXISTS email_outbox_pending_idx ON email_outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
CREATE TABLE IF NOT EXISTS favourites (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  car_id integer NOT NULL REFERENCES cars (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, car_id)
);
CREATE INDEX IF NOT EXISTS favourites_car_idx ON favourites (car_id);
${CREATE_AVATARS}`;
