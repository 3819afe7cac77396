// Account journey: a visitor signs up once (register → login), then on every visit searches, saves
// cars as favourites, lists them, reads recommendations built from them and drops one again. Login
// is bcrypt-bound on purpose (~50–200 ms), so a VU logs in once and reuses its tokens as a real
// client does, refreshing the access token shortly before it expires: logins stay a realistic share.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { routes } from './thresholds.js';

/** Favourites the journey created (201), to show the write path really ran. */
export const favouritesAdded = new Counter('favourites_added');

/** Seconds before the access token's expiry at which it is refreshed (env TOKEN_REFRESH_MARGIN_S). */
const refreshMarginMs =
  1000 * (Number(__ENV.TOKEN_REFRESH_MARGIN_S) >= 0 ? Number(__ENV.TOKEN_REFRESH_MARGIN_S) : 60);
const MAX_FAVOURITES = 8;

// Module scope lives as long as the VU: one account per VU, kept across its iterations.
const account = {
  email: undefined,
  password: undefined,
  registered: false,
  accessToken: undefined,
  refreshToken: undefined,
  expiresAt: 0,
  favourites: [],
};

function think(seconds) {
  if (seconds > 0) sleep(seconds * (0.5 + Math.random()));
}

function parseJson(res) {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}

function jsonParams(name, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return { headers, tags: { name } };
}

/** Unique per run, VU and iteration: distributed segments and reruns never collide on an e-mail. */
function newEmail() {
  const runTag = String(exec.test.options.tags?.run_id ?? 'local')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 24);
  const nonce = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
  return `lt-${runTag || 'local'}-${exec.vu.idInTest}-${exec.vu.iterationInInstance}-${nonce}@loadtest.example.com`;
}

function keepTokens(body) {
  account.accessToken = body.accessToken;
  account.refreshToken = body.refreshToken;
  account.expiresAt = Date.now() + Number(body.expiresIn ?? 900) * 1000;
}

function register(baseUrl) {
  account.email = newEmail();
  account.password = `k6-${Math.random().toString(36).slice(2)}-pass`;
  const res = http.post(
    `${baseUrl}/api/auth/register`,
    JSON.stringify({ email: account.email, password: account.password }),
    jsonParams(routes.register),
  );
  account.registered = check(res, { 'register: status 201': (r) => r.status === 201 });
  return account.registered;
}

function login(baseUrl) {
  const res = http.post(
    `${baseUrl}/api/auth/login`,
    JSON.stringify({ email: account.email, password: account.password }),
    jsonParams(routes.login),
  );
  const body = parseJson(res);
  const ok = check(res, {
    'login: status 200': (r) => r.status === 200,
    'login: has tokens': () =>
      typeof body?.accessToken === 'string' && typeof body?.refreshToken === 'string',
  });
  if (ok) keepTokens(body);
  return ok;
}

function refresh(baseUrl) {
  const res = http.post(
    `${baseUrl}/api/auth/refresh`,
    JSON.stringify({ refreshToken: account.refreshToken }),
    jsonParams(routes.refresh),
  );
  const body = parseJson(res);
  const ok = check(res, {
    'refresh: status 200': (r) => r.status === 200,
    'refresh: has new tokens': () => typeof body?.accessToken === 'string',
  });
  if (ok) keepTokens(body);
  else account.accessToken = undefined;
  return ok;
}

function bearer() {
  return { Authorization: `Bearer ${account.accessToken}` };
}

/** A usable access token (checked before every signed-in call, as a real client does): register and log in once, refresh near expiry, log in again if refused. */
function ensureSession(baseUrl) {
  if (!account.registered && !register(baseUrl)) return false;
  if (account.accessToken && Date.now() < account.expiresAt - refreshMarginMs) return true;
  if (account.refreshToken && refresh(baseUrl)) return true;
  return login(baseUrl);
}

/** Adds `carId`; 201 for a new favourite (200 if it was one already). */
function addFavourite(baseUrl, carId) {
  const res = http.post(
    `${baseUrl}/api/favourites`,
    JSON.stringify({ carId }),
    jsonParams(routes.favouriteAdd, account.accessToken),
  );
  const ok = check(res, { 'favourites: added': (r) => r.status === 201 || r.status === 200 });
  if (res.status === 201) favouritesAdded.add(1);
  if (ok && !account.favourites.includes(carId)) account.favourites.push(carId);
}

function removeFavourite(baseUrl, carId) {
  const res = http.del(`${baseUrl}/api/favourites/${carId}`, null, {
    headers: bearer(),
    tags: { name: routes.favouriteRemove },
  });
  check(res, { 'favourites: removed': (r) => r.status === 200 });
  account.favourites = account.favourites.filter((id) => id !== carId);
}

/**
 * One visit of a signed-in user: profile → search → read one car → save one or two results → list favourites → personal
 * recommendations (seeded by the favourites on the server side) → drop the oldest favourite when the
 * list has grown. Cheap steps get a short pause, reading the lists a longer one.
 */
export function accountVisit(baseUrl, thinkTimeSeconds = 1) {
  if (!ensureSession(baseUrl)) {
    // The target refuses sign-up or login: pause like a user would instead of hammering it.
    think(thinkTimeSeconds);
    return;
  }
  // The app shell loads the profile first: a cheap call that proves the token is accepted.
  const meRes = http.get(`${baseUrl}/api/auth/me`, { headers: bearer(), tags: { name: routes.me } });
  const me = parseJson(meRes);
  check(meRes, {
    'me: status 200': (r) => r.status === 200,
    'me: is the signed-in user': () => String(me?.email) === account.email,
  });

  const searchRes = http.get(`${baseUrl}/api/cars?page=${1 + Math.floor(Math.random() * 5)}&pageSize=20`, {
    tags: { name: routes.search },
  });
  const page = parseJson(searchRes);
  check(searchRes, { 'search: status 200': (r) => r.status === 200 });
  const candidates = (Array.isArray(page?.items) ? page.items : [])
    .map((car) => Number(car.id))
    .filter((id) => Number.isInteger(id) && id > 0 && !account.favourites.includes(id));
  think(thinkTimeSeconds / 2);

  const chosen = candidates.sort(() => Math.random() - 0.5).slice(0, 2);
  if (chosen[0] !== undefined) {
    // Reads the first car's page before saving it.
    const detailsRes = http.get(`${baseUrl}/api/cars/${chosen[0]}`, { tags: { name: routes.details } });
    check(detailsRes, { 'details: status 200': (r) => r.status === 200 });
    think(thinkTimeSeconds / 2);
  }
  for (const carId of chosen) {
    if (!ensureSession(baseUrl)) return;
    addFavourite(baseUrl, carId);
    think(thinkTimeSeconds / 4);
  }

  if (!ensureSession(baseUrl)) return;
  const listRes = http.get(`${baseUrl}/api/favourites?limit=50`, {
    headers: bearer(),
    tags: { name: routes.favourites },
  });
  const list = parseJson(listRes);
  check(listRes, {
    'favourites: list status 200': (r) => r.status === 200,
    'favourites: list holds the saved cars': () =>
      Array.isArray(list?.items) &&
      account.favourites.every((id) => list.items.some((c) => Number(c.id) === id)),
  });
  think(thinkTimeSeconds / 2);

  if (!ensureSession(baseUrl)) return;
  const recsRes = http.get(`${baseUrl}/api/recommendations?limit=10`, {
    headers: bearer(),
    tags: { name: routes.recommendations },
  });
  const recs = parseJson(recsRes);
  check(recsRes, {
    'recommendations (signed in): status 200': (r) => r.status === 200,
    'recommendations (signed in): has items': () => Array.isArray(recs?.items),
  });
  think(thinkTimeSeconds / 2);

  // A user changes their mind: the oldest favourite goes (two once the list is long), so it stays bounded.
  const drop = account.favourites.length > MAX_FAVOURITES ? 2 : account.favourites.length >= 2 ? 1 : 0;
  for (const carId of account.favourites.slice(0, drop)) {
    if (!ensureSession(baseUrl)) return;
    removeFavourite(baseUrl, carId);
  }
  think(thinkTimeSeconds);
}
