// Similar cars and recommendations, content-based: a small candidate set read through an index
// (never a scan of the table), then scored by feature overlap, closeness and popularity.
import { CAR_COLUMNS, type SqlQuery } from './car-sql.ts';

/** Candidates read on each side of the car's price, within its body type. */
export const SIMILAR_CANDIDATES_PER_SIDE = 150;
/** Most popular candidates read per (body type, price band) of the user's profile. */
export const PROFILE_CANDIDATES_PER_BAND = 100;

// Jaccard overlap of features with $features (text[]), 0..1.
const featureOverlap = (features: string) =>
  `(cardinality(ARRAY(SELECT unnest(features) INTERSECT SELECT unnest(${features}::text[])))::float8
    / GREATEST(1, cardinality(ARRAY(SELECT unnest(features) UNION SELECT unnest(${features}::text[])))))`;

const popularity = 'ln(1 + favourite_count) / 6';

export type SimilarTo = {
  id: number;
  bodyType: string;
  price: number;
  year: number;
  make: string;
  model: string;
  fuel: string;
  features: readonly string[];
};

export function similarCarsQuery(car: SimilarTo, limit: number): SqlQuery {
  const score = `(3 * ${featureOverlap('$6')}
    + (make = $7)::int + (model = $8)::int * 0.5 + (fuel = $9)::int
    - 2 * abs(price - $2) / GREATEST($2, 1)::float8 - abs(year - $5) / 5.0 + ${popularity})`;
  return {
    text: `WITH candidates AS (
  (SELECT * FROM cars WHERE body_type = $1 AND price >= $2 AND id <> $3 ORDER BY price, id LIMIT $4)
  UNION ALL
  (SELECT * FROM cars WHERE body_type = $1 AND price < $2 ORDER BY price DESC, id DESC LIMIT $4)
)
SELECT ${CAR_COLUMNS}, round(${score}::numeric, 4)::float8 AS score
FROM candidates ORDER BY score DESC, id LIMIT $10`,
    values: [
      car.bodyType,
      car.price,
      car.id,
      SIMILAR_CANDIDATES_PER_SIDE,
      car.year,
      car.features,
      car.make,
      car.model,
      car.fuel,
      limit,
    ],
  };
}

export function popularCarsQuery(limit: number): SqlQuery {
  return {
    text: `SELECT ${CAR_COLUMNS}, round((${popularity})::numeric, 4)::float8 AS score
FROM cars ORDER BY favourite_count DESC, id LIMIT $1`,
    values: [limit],
  };
}

export const SELECT_CARS_BY_IDS = `SELECT id, body_type AS "bodyType", price_band AS "priceBand", price, fuel, features
FROM cars WHERE id = ANY($1::integer[])`;

export type Profile = {
  /** (body type, price band) pairs the user's cars fall in. */
  segments: { bodyType: string; band: number }[];
  /** Features the user's cars share, most frequent first. */
  features: string[];
  fuels: string[];
  medianPrice: number;
  exclude: number[];
};

export function profileRecommendationsQuery(profile: Profile, limit: number): SqlQuery {
  const score = `(3 * ${featureOverlap('$4')} + (fuel = ANY($5::text[]))::int
    - abs(price - $6) / GREATEST($6, 1)::float8 + ${popularity})`;
  return {
    text: `SELECT ${CAR_COLUMNS}, round(${score}::numeric, 4)::float8 AS score
FROM unnest($1::text[], $2::smallint[]) AS segment(segment_body_type, segment_band)
CROSS JOIN LATERAL (
  SELECT * FROM cars
  WHERE cars.body_type = segment.segment_body_type AND cars.price_band = segment.segment_band AND cars.id <> ALL($3::integer[])
  ORDER BY favourite_count DESC, id LIMIT ${PROFILE_CANDIDATES_PER_BAND}
) AS c
ORDER BY score DESC, id LIMIT $7`,
    values: [
      profile.segments.map((s) => s.bodyType),
      profile.segments.map((s) => s.band),
      profile.exclude,
      profile.features,
      profile.fuels,
      profile.medianPrice,
      limit,
    ],
  };
}
