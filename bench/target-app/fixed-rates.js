// Bench workload: each endpoint of the car-suggester API driven at a FIXED arrival rate
// (constant-arrival-rate: new requests start on schedule whatever the latency, so a slow target shows
// up as latency and dropped iterations instead of quietly lowering the load, as closed-loop VUs would).
// Env: BASE_URL, RATES (JSON {"search":30,"details":60,"recommendations":15,"login":3}, req/s; 0 or
// absent = not run), DURATION ("60s"), CAR_COUNT (ids are 1..N), USERS (JSON [{email,password}]),
// SUMMARY_PATH (handleSummary writes the whole summary there as JSON).
import http from 'k6/http';

const BASE_URL = __ENV.BASE_URL;
const RATES = JSON.parse(__ENV.RATES || '{}');
const DURATION = __ENV.DURATION || '60s';
const CAR_COUNT = Number(__ENV.CAR_COUNT || 1000);
const USERS = JSON.parse(__ENV.USERS || '[]');
const ENDPOINTS = ['search', 'details', 'recommendations', 'login'];

// The target's vocabulary (target-app/src/cars/catalog.ts); a value outside it is a 400, which the
// bench would count as an error, so a drift between the two shows up in the error column.
const BODY_TYPES = ['hatchback', 'sedan', 'estate', 'suv', 'coupe', 'convertible', 'van', 'pickup'];
const FUELS = ['petrol', 'diesel', 'hybrid', 'plugin_hybrid', 'electric'];
const TRANSMISSIONS = ['manual', 'automatic'];
const COLOURS = ['black', 'white', 'silver', 'grey', 'blue', 'red', 'green'];
const CITIES = ['Berlin', 'Hamburg', 'Munich', 'Paris', 'Lyon', 'Madrid', 'Milan', 'Vienna', 'Warsaw'];
const MODELS = ['Golf', 'Polo', 'Passat', 'Corolla', 'Yaris', 'RAV4', '3 Series', 'X3'];
// Misspellings take the fuzzy (trigram) path of free-text search.
const TYPOS = ['Volkswagn', 'Toyta', 'Corola', 'Passatt', 'Mercedez'];
const SORTS = ['price', '-price', '-year', 'mileage'];

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}
function chance(p) {
  return Math.random() < p;
}

function vusFor(rate) {
  // Pre-allocated VUs cover ~300 ms responses: a VU started mid-run arrives too late for its own
  // iteration, which k6 then drops. Past 0.5 s responses k6 runs out of VUs and drops iterations,
  // which the runner counts as a breach (the target is past saturation by then anyway).
  const maxVUs = Math.ceil(rate * 0.5) + 20;
  return { preAllocatedVUs: Math.min(maxVUs, Math.ceil(rate * 0.3) + 5), maxVUs };
}

const scenarios = {};
const thresholds = {};
for (const endpoint of ENDPOINTS) {
  const rate = Number(RATES[endpoint] || 0);
  if (rate <= 0) continue;
  scenarios[endpoint] = {
    executor: 'constant-arrival-rate',
    exec: endpoint,
    rate,
    timeUnit: '1s',
    duration: DURATION,
    ...vusFor(rate),
  };
  // Thresholds that always pass: they only make k6 keep a per-endpoint sub-metric in the summary.
  thresholds[`http_req_duration{endpoint:${endpoint}}`] = ['max>=0'];
  thresholds[`http_req_failed{endpoint:${endpoint}}`] = ['rate>=0'];
  thresholds[`http_reqs{endpoint:${endpoint}}`] = ['count>=0'];
  thresholds[`dropped_iterations{scenario:${endpoint}}`] = ['count>=0'];
}

export const options = {
  scenarios,
  thresholds,
  discardResponseBodies: true,
  // k6 keeps every sample of a Trend, so these percentiles are exact, not estimated.
  summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max', 'count'],
  // Hosts keep-alive like a browser or an API client; the bench measures the service, not TCP setup.
  noConnectionReuse: false,
};

function searchQuery() {
  const params = [];
  if (chance(0.4)) params.push(`make=${encodeURIComponent(pick(setupMakes))}`);
  if (chance(0.3)) params.push(`bodyType=${pick(BODY_TYPES)}`);
  if (chance(0.25)) params.push(`fuel=${pick(FUELS)}`);
  if (chance(0.15)) params.push(`transmission=${pick(TRANSMISSIONS)}`);
  if (chance(0.15)) params.push(`city=${encodeURIComponent(pick(CITIES))}`);
  if (chance(0.4)) {
    const min = 2000 + Math.floor(Math.random() * 40) * 1000;
    params.push(`minPrice=${min}`, `maxPrice=${min + 5000 + Math.floor(Math.random() * 30) * 1000}`);
  }
  if (chance(0.25)) params.push(`minYear=${2005 + Math.floor(Math.random() * 18)}`);
  if (chance(0.15)) params.push(`maxMileage=${(2 + Math.floor(Math.random() * 20)) * 10000}`);
  let hasQ = false;
  if (chance(0.35)) {
    hasQ = true;
    const words = [
      pick([...MODELS, ...setupMakes, ...TYPOS]),
      ...(chance(0.5) ? [pick([...COLOURS, ...BODY_TYPES, ...CITIES])] : []),
    ];
    params.push(`q=${encodeURIComponent(words.join(' '))}`);
  }
  if (!hasQ || chance(0.3)) params.push(`sort=${pick(SORTS)}`);
  if (chance(0.2)) params.push('facets=true');
  params.push(`page=${1 + Math.floor(Math.random() * 3)}`, `pageSize=${pick([10, 20, 50])}`);
  return params.join('&');
}

function carId() {
  return 1 + Math.floor(Math.random() * CAR_COUNT);
}

let setupMakes = ['Volkswagen', 'Toyota', 'BMW'];

export function setup() {
  const res = http.get(`${BASE_URL}/api/makes`, { responseType: 'text' });
  const makes = res.status === 200 ? res.json('makes') : undefined;
  return { makes: Array.isArray(makes) && makes.length > 0 ? makes : setupMakes };
}

export function search(data) {
  setupMakes = data.makes;
  http.get(`${BASE_URL}/api/cars?${searchQuery()}`, {
    tags: { endpoint: 'search', name: 'GET /api/cars' },
  });
}

export function details() {
  http.get(`${BASE_URL}/api/cars/${carId()}`, { tags: { endpoint: 'details', name: 'GET /api/cars/:id' } });
}

export function recommendations() {
  const seeds = [];
  const n = 1 + Math.floor(Math.random() * 3);
  for (let i = 0; i < n; i++) seeds.push(carId());
  http.get(`${BASE_URL}/api/recommendations?carIds=${seeds.join(',')}&limit=10`, {
    tags: { endpoint: 'recommendations', name: 'GET /api/recommendations' },
  });
}

export function login() {
  const user = pick(USERS);
  http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ email: user.email, password: user.password }), {
    headers: { 'content-type': 'application/json' },
    tags: { endpoint: 'login', name: 'POST /api/auth/login' },
  });
}

export function handleSummary(data) {
  return __ENV.SUMMARY_PATH ? { [__ENV.SUMMARY_PATH]: JSON.stringify(data) } : {};
}
