// The dashboard process's environment, parsed once with zod (create-t3-app style): every variable
// is validated at start and a bad one stops the process with a message naming it. The collector's
// variables (store, OTLP receiver) are the collector's own schema, extended here, so the all-in-one
// process and the collector process read them by the same rules.
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectorEnvSchema, portVariable } from 'collector';
import { z } from 'zod';
import { oidcRolesSchema } from './server/auth/oidc.ts';
import { parseUsers } from './server/auth/users.ts';
import { parseReceiversKey } from './server/receivers/secret-box.ts';

/** The repository root (relative DATA_DIR and RULES_DIR resolve against it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const httpUrl = (example: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` })
    .transform((u) => u.replace(/\/+$/, ''));

const runVus = z.coerce
  .number({ error: 'must be a number of VUs' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1_000_000, 'must be at most 1000000');
const runDuration = z
  .string()
  .trim()
  .regex(/^[1-9]\d*(ms|s|m|h)$/, 'must be a k6 duration such as 30m or 4h (units ms, s, m, h)');

const schema = collectorEnvSchema.extend({
  PORT: portVariable('PORT', 3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  COLLECTOR_ENABLED: z.stringbool({ error: 'must be true or false' }).default(true),
  /** host:port k6 sends OTLP to; defaults to the embedded collector. */
  OTLP_ENDPOINT: z
    .string()
    .trim()
    .regex(/^[^/:\s]+:\d+$/, 'must be host:port without a scheme, e.g. 127.0.0.1:4318')
    .optional(),
  TARGET_URL: httpUrl('http://127.0.0.1:8080').default('http://127.0.0.1:8080'),
  /**
   * `npm start`: run the target app (target-app/src/main.ts, on TARGET_URL's port) as a child of
   * this process, restarted with backoff when it exits; its runs then fail with the exit's reason.
   */
  SUPERVISE_TARGET: z.stringbool({ error: 'must be true or false' }).default(false),
  LOAD_TARGETS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(z.array(httpUrl('http://127.0.0.1:8080'))),
  TARGET_SERVICE_NAME: z.string().trim().min(1).default('car-suggester'),
  /** ClickHouse server only: the user raw `sql:` alert rules run as (SELECT on their tables only). */
  CLICKHOUSE_RULES_URL: httpUrl('http://rules:secret@clickhouse:8123/default').optional(),
  ALERT_WEBHOOK_URL: httpUrl('https://hooks.example.com/alerts').optional(),
  RULES_DIR: z.string().trim().min(1).default('alert-rules/rules'),
  K6_PATH: z.string().trim().min(1).optional(),
  /** Local users, `name:role:hash` separated by commas or spaces; unset → a generated admin. */
  DASHBOARD_USERS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseUsers(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** The target's ADMIN_TOKEN, for the chaos controls admins use from the dashboard. */
  TARGET_ADMIN_TOKEN: z.string().trim().min(8, 'must be at least 8 characters').default('dev-admin-token'),
  /** Optional OpenID Connect sign-in: the provider's issuer URL and this client's registration. */
  OIDC_ISSUER: httpUrl('https://login.example.com/realms/perf').optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().trim().min(1).optional(),
  /** The claim whose values OIDC_ROLES maps to roles. */
  OIDC_ROLE_CLAIM: z.string().trim().min(1).default('groups'),
  OIDC_ROLES: oidcRolesSchema,
  /** Role of an OIDC user none of whose claim values is mapped; `none` refuses them. */
  OIDC_DEFAULT_ROLE: z.enum(['viewer', 'qa', 'admin', 'none']).default('viewer'),
  /** The dashboard's URL as browsers reach it (OIDC callback); default http://HOST:PORT. */
  PUBLIC_URL: httpUrl('https://perf.example.com').optional(),
  /** Shared by replicas: only the holder of the scheduler's lock launches scheduled runs. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** HMAC key for session cookies; unset → generated once into DATA_DIR. */
  SESSION_SECRET: z
    .string()
    .trim()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)')
    .optional(),
  SESSION_TTL_HOURS: z.coerce
    .number({ error: 'must be a number of hours' })
    .positive()
    .max(24 * 30)
    .default(12),
  /** Key sealing the receivers added in the UI (32 bytes, hex or base64); unset → DATA_DIR/receivers.key. */
  RECEIVERS_KEY: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseReceiversKey(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /** Session cookie's Secure flag: auto = when the request came over https (X-Forwarded-Proto). */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false'], { error: 'must be auto, true or false' }).default('auto'),
  /** Reverse proxies in front that append to X-Forwarded-For (sign-in limits key on the client behind them). */
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: 'must be a whole number of proxies' })
    .int('must be a whole number of proxies')
    .min(0)
    .max(10)
    .default(0),
  /** Seconds between synthetic page checks (headless Chromium loads the target's pages); 0 = off. */
  PAGE_CHECK_INTERVAL: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be whole seconds')
    .min(0, 'must be 0 (off) or more')
    .max(86_400, 'must be at most 86400 (a day)')
    .default(60),
  /** Pages the check loads, comma-separated; empty → the target's home page (TARGET_URL + "/"). */
  PAGE_CHECK_URLS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(
      z.array(z.url({ protocol: /^https?$/, error: 'must be http(s) URLs such as http://127.0.0.1:8080/' })),
    ),
  /** Seconds one page may take: navigation, then observation until its TTI quiet window. */
  PAGE_CHECK_TIMEOUT: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be whole seconds')
    .min(10, 'must be at least 10 (TTI needs a 5 s quiet window after FCP)')
    .max(300, 'must be at most 300')
    .default(30),
  /**
   * Live Overview snapshots: `shared` (one computation per range and interval, refreshed in the
   * background while watched) or `fresh` (each viewer computes its own: for benchmarks that
   * measure what a snapshot costs).
   */
  LIVE_SNAPSHOTS: z.enum(['shared', 'fresh'], { error: 'must be shared or fresh' }).default('shared'),
  /**
   * The collector's light-traffic coalescing window (ms) while nobody has viewed the dashboard for
   * a minute: fewer, larger inserts when no one would see the rows sooner. Applies only while
   * COLLECTOR_COALESCE_MS is on (> 0), and never shortens it; a viewer brings that window back.
   */
  COLLECTOR_COALESCE_UNWATCHED_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be whole milliseconds')
    .min(0, 'must be 0 (same as COLLECTOR_COALESCE_MS) or more')
    .max(60_000, 'must be at most 60000 (a minute)')
    .default(15_000),
  /** The Chromium the page check drives (headless). */
  PAGE_CHECK_CHROMIUM: z.string().trim().min(1).default('/usr/bin/chromium'),
  /** Load-test runs that may wait queued behind the running one; beyond it a launch gets 429. */
  RUN_QUEUE_MAX: z.coerce
    .number({ error: 'must be a number of runs' })
    .int('must be a whole number')
    .min(0, 'must be 0 (no waiting) or more')
    .max(100, 'must be at most 100')
    .default(5),
  /** Per-role ceilings on one run's peak VUs and duration (qa lower than admin by default). */
  RUN_MAX_VUS_QA: runVus.default(1000),
  RUN_MAX_VUS_ADMIN: runVus.default(50_000),
  RUN_MAX_DURATION_QA: runDuration.default('1h'),
  RUN_MAX_DURATION_ADMIN: runDuration.default('48h'),
});

export type DashboardEnv = Omit<z.output<typeof schema>, 'LOAD_TARGETS'> & {
  /** The load-test allowlist: TARGET_URL first, then LOAD_TARGETS, without duplicates. */
  LOAD_TARGETS: string[];
  /** OTLP host:port that k6 runs export to. */
  OTLP_ENDPOINT: string;
};

/** Never echoed back in an error message. */
const SECRET_VARIABLES = new Set([
  'DASHBOARD_USERS',
  'SESSION_SECRET',
  'RECEIVERS_KEY',
  'TARGET_ADMIN_TOKEN',
  'OIDC_CLIENT_SECRET',
  'COLLECTOR_API_KEYS',
  // A webhook URL is its own credential (Slack-style hooks carry the token in the path).
  'ALERT_WEBHOOK_URL',
]);

/** A value as an error may show it: a URL's password (`http://user:secret@host`) is blanked out. */
const shownValue = (value: string) => value.replace(/(\/\/[^/@:\s]*):[^@/\s]*@/g, '$1:***@');

export class EnvError extends Error {
  constructor(lines: string[]) {
    super(`Invalid dashboard environment:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

const fromRepo = (path: string) => (isAbsolute(path) ? path : resolve(REPO_ROOT, path));

export function parseDashboardEnv(
  source: Readonly<Record<string, string | undefined>> = process.env,
): DashboardEnv {
  // An empty variable means "use the default", as in a docker-compose file with `FOO=`.
  const defined = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const result = schema.safeParse(defined);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => {
        const name = String(i.path[0] ?? '(env)');
        const got = defined[name];
        const shown =
          got === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(shownValue(got))})`;
        return `${name}: ${i.message}${shown}`;
      }),
    );
  }
  const env = result.data;
  if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) {
    throw new EnvError([
      'OIDC_CLIENT_ID: required with OIDC_ISSUER (the client id registered with the provider)',
    ]);
  }
  const collectorHost =
    env.COLLECTOR_HOST === '0.0.0.0' || env.COLLECTOR_HOST === '::' ? '127.0.0.1' : env.COLLECTOR_HOST;
  return {
    ...env,
    RULES_DIR: fromRepo(env.RULES_DIR),
    K6_PATH: env.K6_PATH === undefined ? undefined : fromRepo(env.K6_PATH),
    LOAD_TARGETS: [...new Set([env.TARGET_URL, ...env.LOAD_TARGETS])],
    OTLP_ENDPOINT: env.OTLP_ENDPOINT ?? `${collectorHost}:${env.COLLECTOR_PORT}`,
  };
}

/** Where runs keep their k6 logs and summaries (the store's folders: `storeOptionsFromEnv`). */
export const runsDirOf = (env: DashboardEnv) => join(env.DATA_DIR, 'runs');
