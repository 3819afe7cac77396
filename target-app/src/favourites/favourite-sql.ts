// SQL for favourites. Adding and removing are each ONE statement (data-modifying CTEs): the favourite
// row and the car's favourite_count change in the same transaction, with no lock held across round
// trips, and concurrent requests stay consistent under READ COMMITTED (the counter UPDATE re-reads
// the latest row; ON CONFLICT waits for a concurrent insert of the same pair).
import { CAR_COLUMNS } from '../db/car-sql.ts';

export const ADD_FAVOURITE = `WITH car AS (SELECT id, favourite_count FROM cars WHERE id = $2),
added AS (
  INSERT INTO favourites (user_id, car_id) SELECT $1, id FROM car
  ON CONFLICT (user_id, car_id) DO NOTHING
  RETURNING car_id
),
counted AS (
  UPDATE cars SET favourite_count = favourite_count + 1 WHERE id IN (SELECT car_id FROM added)
  RETURNING favourite_count
)
SELECT EXISTS (SELECT 1 FROM car) AS "carExists", EXISTS (SELECT 1 FROM added) AS added,
  COALESCE((SELECT favourite_count FROM counted), (SELECT favourite_count FROM car)) AS "favouriteCount"`;

export const REMOVE_FAVOURITE = `WITH removed AS (
  DELETE FROM favourites WHERE user_id = $1 AND car_id = $2 RETURNING car_id
),
counted AS (
  UPDATE cars SET favourite_count = favourite_count - 1 WHERE id IN (SELECT car_id FROM removed)
  RETURNING favourite_count
)
SELECT EXISTS (SELECT 1 FROM removed) AS removed, (SELECT favourite_count FROM counted) AS "favouriteCount"`;

export const LIST_FAVOURITES = `SELECT ${CAR_COLUMNS}, f.created_at AS "favouritedAt"
FROM favourites AS f JOIN cars ON cars.id = f.car_id
WHERE f.user_id = $1 ORDER BY f.created_at DESC, f.car_id DESC LIMIT $2`;

export const COUNT_FAVOURITES = 'SELECT count(*)::int AS total FROM favourites WHERE user_id = $1';

export const FAVOURITE_IDS = `SELECT car_id AS "carId" FROM favourites WHERE user_id = $1
ORDER BY created_at DESC, car_id DESC LIMIT $2`;
