// Bench workload: each endpoint of the car-suggester API driven at a FIXED arrival rate
// (constant-arrival-rate: new requests start on schedule whatever the latency, so a slow target shows
// up as latency and dropped iterations instead of quietly lowering the load, as closed-loop VUs would).
// Env: BASE_URL, RATES (JSON {"search":30,"details":60,"recommendations":15,"login":3}, req/s; 0 or
// absent = not run), DURATION ("60s"), CAR_COUNT (ids are 1..N), USERS (JSON [{email,password}]),
// SUMMARY_PATH (handleSummary writes the whole summary there as JSON), POPULAR_QUERIES (distinct
// searches behind `popular`, default 1000), WARMUP_SECONDS (at the rates before DURATION, not
// measured; default 0).
//
// `search` sends a new random combination every time (nearly every request misses the caches: the
// database's worst case). `popular` sends searches the way a site's traffic repeats them: a fixed set
// of POPULAR_QUERIES searches, the same in every VU (seeded), drawn with Zipf's law (s = 1: the k-th
// most popular is asked 1/k as often as the first), so the caches answer most of them.
// WARM_POPULAR=1 runs only a warm-up instead: every popular search asked once (a site's caches in
// steady state hold its popular searches; without this the first step measures the cold fill).
import exec from 'k6/execution';
import http from 'k6/http';

const BASE_URL = __ENV.BASE_URL;
const RATES = JSON.parse(__ENV.RATES || '{}');
const DURATION = __ENV.DURATION || '60s';
const CAR_COUNT = Number(__ENV.CAR_COUNT || 1000);
const USERS = JSON.parse(__ENV.USERS || '[]');
const ENDPOINTS = ['search', 'popular', 'details', 'recommendations', 'login'];
const POPULAR_QUERIES = Number(__ENV.POPULAR_QUERIES || 1000);

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

let random = Math.random;
function pick(list) {
  return list[Math.floor(random() * list.length)];
}
function chance(p) {
  return random() < p;
}

/** mulberry32 (as target-app's createRandom, which a k6 script cannot import): the same popular searches every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vusFor(rate) {
  // Every VU is allocated before the run: a VU started mid-run initialises (and copies setup()'s
  // data) while its iteration is due, so k6 drops iterations although the target answers in
  // milliseconds. Past 0.5 s responses k6 runs out of VUs and drops iterations, which the runner
  // counts as a breach (the target is past saturation by then anyway).
  const vus = Math.ceil(rate * 0.5) + 20;
  return { preAllocatedVUs: vus, maxVUs: vus };
}

// Each scenario runs WARMUP_SECONDS at its rate before the measured DURATION, and requests in that
// window are tagged endpoint 'warmup' (kept out of every figure the runner reads). k6 needs ~2 s to
// get hundreds of pre-allocated VUs going: at 1,200/s it dropped ~1,000 iterations in the first 2 s
// of every scenario and none after, whatever the scenario's length — also when a warm-up scenario
// at the same rate had just run on the same VUs (so not connections or setup() data copies).
const WARMUP_MS = Number(__ENV.WARMUP_SECONDS || 0) * 1000;
const DURATION_S = Number.parseFloat(DURATION);

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
    duration: `${DURATION_S + WARMUP_MS / 1000}s`,
    ...vusFor(rate),
  };
  // Thresholds that always pass: they only make k6 keep a per-endpoint sub-metric in the summary.
  thresholds[`http_req_duration{endpoint:${endpoint}}`] = ['max>=0'];
  thresholds[`http_req_failed{endpoint:${endpoint}}`] = ['rate>=0'];
  thresholds[`http_reqs{endpoint:${endpoint}}`] = ['count>=0'];
}

// The whole measured window (all endpoints), for the runner's totals.
if (Object.keys(scenarios).length > 0) {
  thresholds['http_req_duration{window:measured}'] = ['max>=0'];
  thresholds['http_req_failed{window:measured}'] = ['rate>=0'];
  thresholds['http_reqs{window:measured}'] = ['count>=0'];
}

if (__ENV.WARM_POPULAR === '1') {
  for (const key of Object.keys(scenarios)) delete scenarios[key];
  scenarios.warmPopular = {
    executor: 'shared-iterations',
    exec: 'warmPopular',
    vus: 4,
    iterations: POPULAR_QUERIES,
    maxDuration: '10m',
  };
}

export const options = {
  scenarios,
  thresholds,
  discardResponseBodies: true,
  // Only the tags the summary needs: by default k6 also tags every sample with its URL, and with a
  // new URL per request (every search differs) building those tag sets cost k6 more CPU than the
  // target spent answering — at 1,000 req/s k6 dropped 2.6 % of iterations while the target idled.
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response'],
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
    const min = 2000 + Math.floor(random() * 40) * 1000;
    params.push(`minPrice=${min}`, `maxPrice=${min + 5000 + Math.floor(random() * 30) * 1000}`);
  }
  if (chance(0.25)) params.push(`minYear=${2005 + Math.floor(random() * 18)}`);
  if (chance(0.15)) params.push(`maxMileage=${(2 + Math.floor(random() * 20)) * 10000}`);
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
  params.push(`page=${1 + Math.floor(random() * 3)}`, `pageSize=${pick([10, 20, 50])}`);
  return params.join('&');
}

/** The popular searches, built once in setup() from a fixed seed (building them in every VU cost k6 more CPU than the requests). */
function buildPopular() {
  random = seeded(20261123);
  const queries = [];
  for (let i = 0; i < POPULAR_QUERIES; i++) queries.push(searchQuery());
  random = Math.random;
  return queries;
}

let popularCumulative;

/** Cumulative Zipf weights of the popular searches (once per VU). */
function zipfCumulative(n) {
  const cumulative = [];
  let total = 0;
  for (let k = 1; k <= n; k++) {
    total += 1 / k;
    cumulative.push(total);
  }
  return cumulative;
}

function popularQuery(queries) {
  if (popularCumulative === undefined) popularCumulative = zipfCumulative(queries.length);
  const target = Math.random() * popularCumulative[popularCumulative.length - 1];
  let lo = 0;
  let hi = popularCumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (popularCumulative[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return queries[lo];
}

/** A request's tags: its endpoint, or 'warmup' while the scenario is in its warm-up window. */
function tagsFor(endpoint, name) {
  const warm = Date.now() - exec.scenario.startTime < WARMUP_MS;
  return warm ? { endpoint: 'warmup', window: 'warmup', name } : { endpoint, window: 'measured', name };
}

function carId() {
  return 1 + Math.floor(random() * CAR_COUNT);
}

let setupMakes = ['Volkswagen', 'Toyota', 'BMW'];

export function setup() {
  const res = http.get(`${BASE_URL}/api/makes`, { responseType: 'text' });
  const makes = res.status === 200 ? res.json('makes') : undefined;
  if (Array.isArray(makes) && makes.length > 0) setupMakes = makes;
  const wantsPopular = Number(RATES.popular || 0) > 0 || __ENV.WARM_POPULAR === '1';
  return { makes: setupMakes, popular: wantsPopular ? buildPopular() : [] };
}

export function search(data) {
  setupMakes = data.makes;
  http.get(`${BASE_URL}/api/cars?${searchQuery()}`, {
    tags: tagsFor('search', 'GET /api/cars'),
  });
}

export function popular(data) {
  http.get(`${BASE_URL}/api/cars?${popularQuery(data.popular)}`, {
    tags: tagsFor('popular', 'GET /api/cars'),
  });
}

export function warmPopular(data) {
  http.get(`${BASE_URL}/api/cars?${data.popular[exec.scenario.iterationInTest]}`, {
    tags: { endpoint: 'warm', name: 'GET /api/cars' },
  });
}

export function details() {
  http.get(`${BASE_URL}/api/cars/${carId()}`, { tags: tagsFor('details', 'GET /api/cars/:id') });
}

export function recommendations() {
  const seeds = [];
  const n = 1 + Math.floor(Math.random() * 3);
  for (let i = 0; i < n; i++) seeds.push(carId());
  http.get(`${BASE_URL}/api/recommendations?carIds=${seeds.join(',')}&limit=10`, {
    tags: tagsFor('recommendations', 'GET /api/recommendations'),
  });
}

export function login() {
  const user = pick(USERS);
  http.post(`${BASE_URL}/api/auth/login`, JSON.stringify({ email: user.email, password: user.password }), {
    headers: { 'content-type': 'application/json' },
    tags: tagsFor('login', 'POST /api/auth/login'),
  });
}

export function handleSummary(data) {
  return __ENV.SUMMARY_PATH ? { [__ENV.SUMMARY_PATH]: JSON.stringify(data) } : {};
}
