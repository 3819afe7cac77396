// The optimisations bench's cases: per switch, its endpoint, the reference (the switch at its start
// value) and the variant (the switch as before the plan), and how requests are made. Other switches
// stay at their start values, except where a case needs one moved to see its own (said per case).
import { randomBytes } from 'node:crypto';
import type { OptimisationSettings } from '../../target-app/src/optimisations/optimisations.ts';
import { type Request, statusOf } from './fetch-loop.ts';

export type Settings = Partial<OptimisationSettings>;

export type BenchCase = {
  name: keyof OptimisationSettings;
  endpoint: string;
  concurrency: number;
  reference: Settings;
  variant: Settings;
  expected?: readonly number[];
  /** Runs once before the case's windows (e.g. users to log in); `set` switches the target. */
  setup?: (set: (settings: Settings) => Promise<void>) => Promise<void>;
  /** The request of a window; `window` is unique per window (fresh cache keys where needed). */
  request(which: 'reference' | 'variant', window: number): Request;
};

const BODY_TYPES = ['suv', 'sedan', 'hatchback', 'estate', 'coupe'] as const;
const json = { 'content-type': 'application/json' };

async function register(url: string, email: string, password: string): Promise<void> {
  const status = await statusOf(
    fetch(`${url}/api/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password }),
    }),
  );
  if (status !== 201) throw new Error(`register ${email}: ${status}`);
}

async function login(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || body.accessToken === undefined)
    throw new Error(`login ${email}: ${response.status}`);
  return body.accessToken;
}

export function benchCases(url: string): BenchCase[] {
  const tag = randomBytes(3).toString('hex');
  const password = 'bench password 1';
  const get = (path: string) => statusOf(fetch(`${url}${path}`));
  let makes: string[] = [];
  let accessToken = '';
  const loginUsers = { reference: `cost10-${tag}@bench.example`, variant: `cost12-${tag}@bench.example` };

  return [
    {
      name: 'responseCache',
      endpoint: 'GET /api/cars (20 popular searches)',
      concurrency: 4,
      reference: { responseCache: true },
      variant: { responseCache: false },
      async setup() {
        const response = await fetch(`${url}/api/makes`);
        makes = ((await response.json()) as { makes: string[] }).makes.slice(0, 20);
      },
      request: () => (n) =>
        get(`/api/cars?make=${encodeURIComponent(makes[n % makes.length] ?? '')}&sort=-year`),
    },
    {
      name: 'redisL2',
      endpoint: 'GET /api/cars/:id (2,000 cars, L1 of 500 entries)',
      concurrency: 4,
      reference: { redisL2: true },
      variant: { redisL2: false },
      async setup(set) {
        await set({ redisL2: true });
        for (let id = 1; id <= 2_000; id += 8) {
          await Promise.all(Array.from({ length: 8 }, (_, i) => get(`/api/cars/${id + i}`)));
        }
      },
      request: () => (n) => get(`/api/cars/${((n * 7919) % 2_000) + 1}`),
    },
    {
      name: 'searchCountReuse',
      endpoint: 'GET /api/cars (5 filter sets, a new page each request)',
      concurrency: 4,
      reference: { searchCountReuse: true },
      variant: { searchCountReuse: false },
      request: (_which, window) => (n) =>
        get(
          `/api/cars?bodyType=${BODY_TYPES[n % 5]}&maxPrice=${60_000 + window}&pageSize=5&page=${(Math.floor(n / 5) % 400) + 1}`,
        ),
    },
    {
      name: 'tokenValidationCache',
      endpoint: 'GET /api/auth/me (one signed-in user)',
      concurrency: 4,
      reference: { tokenValidationCache: true },
      variant: { tokenValidationCache: false },
      async setup(set) {
        await set({ bcryptCost: 4 });
        const email = `token-${tag}@bench.example`;
        await register(url, email, password);
        accessToken = await login(url, email, password);
      },
      request: () => () =>
        statusOf(fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } })),
    },
    {
      name: 'bcryptCost',
      endpoint: 'POST /api/auth/login (a user hashed at that cost)',
      concurrency: 2,
      reference: { bcryptCost: 10 },
      variant: { bcryptCost: 12 },
      async setup(set) {
        await set({ bcryptCost: 10 });
        await register(url, loginUsers.reference, password);
        await set({ bcryptCost: 12 });
        await register(url, loginUsers.variant, password);
      },
      request: (which) => () =>
        statusOf(
          fetch(`${url}/api/auth/login`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ email: loginUsers[which], password }),
          }),
        ),
    },
    {
      name: 'emailDelivery',
      endpoint: 'POST /api/auth/register (bcrypt cost 4 in both, mail API stand-in)',
      concurrency: 4,
      reference: { emailDelivery: 'queued', bcryptCost: 4 },
      variant: { emailDelivery: 'inline', bcryptCost: 4 },
      expected: [201],
      request: (which, window) => (n) =>
        statusOf(
          fetch(`${url}/api/auth/register`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ email: `${which}-${window}-${n}-${tag}@bench.example`, password }),
          }),
        ),
    },
    {
      name: 'poolSize',
      endpoint: 'GET /api/cars/:id (response cache off, 16 clients)',
      concurrency: 16,
      reference: { poolSize: 20, responseCache: false },
      variant: { poolSize: 10, responseCache: false },
      request: () => (n) => get(`/api/cars/${((n * 7919) % 2_000) + 1}`),
    },
    {
      name: 'rateLimiting',
      endpoint: 'GET /api/makes (limits high: nothing refused)',
      concurrency: 4,
      reference: { rateLimiting: true },
      variant: { rateLimiting: false },
      request: () => () => get('/api/makes'),
    },
  ];
}
