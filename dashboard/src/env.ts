// The dashboard process's environment, parsed once with zod (create-t3-app style): every variable
// is validated at start and a bad one stops the process with a message naming it.
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (relative DATA_DIR and RULES_DIR resolve against it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be 0..65535`)
    .max(65_535, `${name} must be 0..65535`)
    .default(fallback);

const httpUrl = (example: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` })
    .transform((u) => u.replace(/\/+$/, ''));

const schema = z.object({
  PORT: port('PORT', 3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  CLICKHOUSE_URL: httpUrl('http://default:@127.0.0.1:8123/default').optional(),
  COLLECTOR_ENABLED: z.stringbool({ error: 'must be true or false' }).default(true),
  COLLECTOR_HOST: z.string().trim().min(1).default('127.0.0.1'),
  COLLECTOR_PORT: port('COLLECTOR_PORT', 4318),
  /** host:port k6 sends OTLP to; defaults to the embedded collector. */
  OTLP_ENDPOINT: z
    .string()
    .trim()
    .regex(/^[^/:\s]+:\d+$/, 'must be host:port without a scheme, e.g. 127.0.0.1:4318')
    .optional(),
  TARGET_URL: httpUrl('http://127.0.0.1:8080').default('http://127.0.0.1:8080'),
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
  ALERT_WEBHOOK_URL: httpUrl('https://hooks.example.com/alerts').optional(),
  RULES_DIR: z.string().trim().min(1).default('alert-rules/rules'),
  K6_PATH: z.string().trim().min(1).optional(),
});

export type DashboardEnv = Omit<z.output<typeof schema>, 'LOAD_TARGETS'> & {
  /** The load-test allowlist: TARGET_URL first, then LOAD_TARGETS, without duplicates. */
  LOAD_TARGETS: string[];
  /** OTLP host:port that k6 runs export to. */
  OTLP_ENDPOINT: string;
};

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
        return `${name}: ${i.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  const env = result.data;
  const collectorHost =
    env.COLLECTOR_HOST === '0.0.0.0' || env.COLLECTOR_HOST === '::' ? '127.0.0.1' : env.COLLECTOR_HOST;
  return {
    ...env,
    DATA_DIR: fromRepo(env.DATA_DIR),
    RULES_DIR: fromRepo(env.RULES_DIR),
    K6_PATH: env.K6_PATH === undefined ? undefined : fromRepo(env.K6_PATH),
    LOAD_TARGETS: [...new Set([env.TARGET_URL, ...env.LOAD_TARGETS])],
    OTLP_ENDPOINT: env.OTLP_ENDPOINT ?? `${collectorHost}:${env.COLLECTOR_PORT}`,
  };
}

/** Where the embedded store keeps its data, and where runs keep their k6 logs and summaries. */
export const storeDirOf = (env: DashboardEnv) => join(env.DATA_DIR, 'chdb');
export const runsDirOf = (env: DashboardEnv) => join(env.DATA_DIR, 'runs');
export const collectorQueueDirOf = (env: DashboardEnv) => join(env.DATA_DIR, 'collector-queue');
