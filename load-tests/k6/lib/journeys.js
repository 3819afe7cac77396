// User journeys against the car-suggester API. Every request carries a `name` tag per route so
// metrics group by endpoint, not by URL (ids and query strings would explode the series).
import { check, sleep } from 'k6';
import http from 'k6/http';
import { routes } from './thresholds.js';

// The target's search vocabulary (target-app/src/cars/catalog.ts); anything else is a 400.
const bodyTypes = ['hatchback', 'sedan', 'estate', 'suv', 'coupe', 'convertible', 'van', 'pickup'];
const fuels = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric'];

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

function parseJson(res) {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}

/** A search query with a varied mix of filters, so caches and indexes see realistic spread. */
export function searchQuery(makes) {
  const params = [];
  const shape = Math.floor(Math.random() * 5);
  if (makes.length > 0 && (shape === 0 || shape === 3))
    params.push(`make=${encodeURIComponent(pick(makes))}`);
  if (shape === 1 || shape === 3) params.push(`bodyType=${pick(bodyTypes)}`);
  if (shape === 2) params.push(`fuel=${pick(fuels)}`);
  if (shape === 3 || shape === 4) {
    const min = 5000 + Math.floor(Math.random() * 20) * 1000;
    params.push(`minPrice=${min}`, `maxPrice=${min + 20000}`);
  }
  if (shape === 4) params.push(`minYear=${2010 + Math.floor(Math.random() * 8)}`, 'maxYear=2025');
  params.push(`page=${1 + Math.floor(Math.random() * 3)}`, `pageSize=${pick([10, 20, 50])}`);
  return params.join('&');
}

/** A person pausing to read: `seconds` on average, ±50 %. */
function think(seconds) {
  if (seconds > 0) sleep(seconds * (0.5 + Math.random()));
}

/**
 * Browse: list makes → search with filters → open one result → recommendations seeded with the
 * car viewed and up to two others seen in the results, thinking between the steps.
 */
export function browse(baseUrl, thinkTimeSeconds = 1) {
  const makesRes = http.get(`${baseUrl}/api/makes`, { tags: { name: routes.makes } });
  const makesBody = parseJson(makesRes);
  check(makesRes, {
    'makes: status 200': (r) => r.status === 200,
    'makes: has a list of makes': () => Array.isArray(makesBody?.makes),
  });
  const makes = Array.isArray(makesBody?.makes) ? makesBody.makes : [];
  think(thinkTimeSeconds / 2);

  const searchRes = http.get(`${baseUrl}/api/cars?${searchQuery(makes)}`, { tags: { name: routes.search } });
  const page = parseJson(searchRes);
  check(searchRes, {
    'search: status 200': (r) => r.status === 200,
    'search: has items and total': () => Array.isArray(page?.items) && typeof page?.total === 'number',
  });

  const items = Array.isArray(page?.items) ? page.items : [];
  if (items.length > 0) {
    think(thinkTimeSeconds / 2);
    const car = pick(items);
    const detailsRes = http.get(`${baseUrl}/api/cars/${encodeURIComponent(car.id)}`, {
      tags: { name: routes.details },
    });
    const details = parseJson(detailsRes);
    check(detailsRes, {
      'details: status 200': (r) => r.status === 200,
      'details: is the car asked for': () => details !== undefined && String(details.id) === String(car.id),
    });

    think(thinkTimeSeconds / 2);
    const seen = [
      car.id,
      ...items
        .filter((c) => c.id !== car.id)
        .slice(0, 2)
        .map((c) => c.id),
    ];
    const recsRes = http.get(`${baseUrl}/api/recommendations?carIds=${seen.join(',')}&limit=10`, {
      tags: { name: routes.recommendations },
    });
    const recs = parseJson(recsRes);
    check(recsRes, {
      'recommendations: status 200': (r) => r.status === 200,
      'recommendations: has items': () => Array.isArray(recs?.items),
    });
  }

  think(thinkTimeSeconds);
}
