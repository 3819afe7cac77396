// The request names the k6 journeys use (k6/lib/thresholds.js), sorted as per-endpoint tables list them.

/** Every route of the three journeys (browse, account, price watching's search). */
export const JOURNEY_ROUTES = [
  'DELETE /api/favourites/:carId',
  'GET /api/auth/me',
  'GET /api/cars',
  'GET /api/cars/:id',
  'GET /api/favourites',
  'GET /api/makes',
  'GET /api/recommendations',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/register',
  'POST /api/favourites',
];

/**
 * The routes every run requests however short it is: browse, and the first account user's sign-up
 * and login. The account journey's later steps may not fit into a few seconds.
 */
export const EVERY_RUN_ROUTES = [
  'GET /api/cars',
  'GET /api/cars/:id',
  'GET /api/makes',
  'GET /api/recommendations',
  'POST /api/auth/login',
  'POST /api/auth/register',
];
