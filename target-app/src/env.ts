// Configuration: environment variables parsed once with zod into a typed Config; code never reads
// process.env elsewhere. Constraints and defaults live in configSchema, so options passed to
// startTargetApp() are held to the same rules as the environment.
import { z } from 'zod';
import { isIpOrCidr } from './rate-limit/allowlist.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * ADMIN_TOKEN guards the chaos controls. The default only suits a laptop: the process logs a warning
 * while it is in use, and with NODE_ENV=production it is refused (see adminTokenRefusal).
 */
export const DEFAULT_ADMIN_TOKEN = 'dev-admin-token';

/** With NODE_ENV=production an admin token must be this long (256 bits as base64 is 43 characters). */
export const PRODUCTION_ADMIN_TOKEN_MIN_LENGTH = 32;

/**
 * Why the admin API stays off, or undefined when the token may open it. The default is public (it is in
 * this file), so in production it — or any short token — would hand chaos, rate limits and prices to
 * anyone; the target still starts and serves the API under test, with /admin answering 503.
 */
export function adminTokenRefusal(config: Pick<Config, 'adminToken' | 'nodeEnv'>): string | undefined {
  if (config.nodeEnv !== 'production') return undefined;
  if (config.adminToken === DEFAULT_ADMIN_TOKEN) {
    return 'ADMIN_TOKEN is the public development default, refused with NODE_ENV=production';
  }
  if (config.adminToken.length < PRODUCTION_ADMIN_TOKEN_MIN_LENGTH) {
    return `ADMIN_TOKEN is shorter than ${PRODUCTION_ADMIN_TOKEN_MIN_LENGTH} characters, refused with NODE_ENV=production`;
  }
  return undefined;
}

const ttlMs = (fallback: number) =>
  z
    .number()
    .int()
    .min(10, 'must be at least 10 ms')
    .max(86_400_000, 'must be at most a day')
    .default(fallback);

export const configSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65_535).default(8080),
    host: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
    serviceName: z.string().trim().min(1, 'must not be empty').max(100).default('car-suggester'),
    otlpEndpoint: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4318' })
      .transform((url) => url.replace(/\/+$/, ''))
      .default('http://127.0.0.1:4318'),
    // Charts and alerts read 1–2 s windows; a longer interval would blur the effect of a chaos change.
    metricExportIntervalMs: z
      .number()
      .int()
      .min(100, 'must be at least 100 ms')
      .max(2000, 'must be at most 2000 ms: dashboards and alerts need a point at least every 2 s')
      .default(1000),
    adminToken: z.string().min(8, 'must be at least 8 characters').default(DEFAULT_ADMIN_TOKEN),
    carCount: z
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(10_000_000, 'must be at most 10000000')
      .default(10_000),
    carSeed: z.number().int().min(0).max(0xffff_ffff, 'must fit in 32 bits (0..4294967295)').default(42),
    telemetryEnabled: z.boolean().default(true),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    // Unset → the embedded PGlite server, a process the target starts. Either way a `pg` pool sized as
    // the product plan says (max 20, min 5, 30 s acquire).
    databaseUrl: z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    // Embedded mode (DATABASE_URL unset): the embedded database's process keeps its data in
    // DATA_DIR/pglite across restarts (relative to the repository root); unset → in memory.
    dataDir: z.string().trim().min(1, 'must not be empty').optional(),
    dbPoolMax: z.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(20),
    dbPoolMin: z.number().int().min(0).max(500, 'must be at most 500').default(5),
    // Searches are the heavy queries (tens of ms each at 1 M cars): at most this many hold a pooled
    // connection at once, so details, recommendations and logins still find one (a bulkhead).
    dbSearchConcurrency: z
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500')
      .default(4),
    dbPoolIdleTimeoutMs: z
      .number()
      .int()
      .min(1_000, 'must be at least 1000 ms')
      .max(3_600_000)
      .default(10_000),
    dbPoolAcquireTimeoutMs: z
      .number()
      .int()
      .min(10, 'must be at least 10 ms')
      .max(300_000, 'must be at most 300000 ms')
      .default(30_000),
    // Unset → L1 (in-process) cache only.
    redisUrl: z
      .string()
      .trim()
      .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Redis commands failing after this count as cache errors (Redis is an optimisation, not a dependency). */
    redisCommandTimeoutMs: z.number().int().min(10).max(60_000).default(250),
    cacheKeyPrefix: z.string().max(100).default('car-suggester:'),
    cacheL1MaxEntries: z.number().int().min(1).max(10_000_000).default(10_000),
    /** L1's memory budget in MB (estimated from each value's JSON), within the plan's 200 MB for the service. */
    cacheL1MaxMb: z.number().int().min(1).max(64_000).default(16),
    cacheTtlCarMs: ttlMs(30 * 60_000),
    cacheTtlSearchMs: ttlMs(15 * 60_000),
    cacheTtlOtherMs: ttlMs(5 * 60_000),
    // The in-service price changer behind the real-time feed; on by default at a gentle rate.
    priceChangerEnabled: z.boolean().default(true),
    priceChangeIntervalMs: z.number().int().min(10, 'must be at least 10 ms').max(3_600_000).default(1_000),
    priceChangesPerTick: z
      .number()
      .int()
      .min(1, 'must be at least 1')
      .max(1_000, 'must be at most 1000')
      .default(5),
    // OTel SDK environment names and values (sdk-environment-variables spec).
    tracesSampler: z.enum(TRACES_SAMPLERS).default('parentbased_always_on'),
    tracesSamplerArg: z
      .number()
      .min(0, 'must be between 0 and 1')
      .max(1, 'must be between 0 and 1')
      .default(1),
    /** 'production' makes JWT_SECRET mandatory and refuses a default or short ADMIN_TOKEN. */
    nodeEnv: z.string().trim().toLowerCase().max(50).default('development'),
    // HS256 key: at least 32 characters (256 bits), as RFC 7518 asks of HMAC keys.
    jwtSecret: z.string().min(32, 'must be at least 32 characters').optional(),
    authBcryptCost: z.number().int().min(4, 'must be at least 4').max(15, 'must be at most 15').default(10),
    /** Unset → verification mails are delivered to the email_outbox table only. */
    mailWebhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    rateLimitEnabled: z.boolean().default(true),
    /** IPs and CIDRs never rate limited; loopback by default so local k6 runs measure the service. */
    rateLimitAllowlist: z.array(z.string()).max(1000).default(['127.0.0.1', '::1']),
    rateLimitAuthPerMinute: z.number().int().min(1).max(1_000_000).default(5),
    rateLimitSearchPerMinute: z.number().int().min(1).max(1_000_000).default(50),
    rateLimitApiPerMinute: z.number().int().min(1).max(1_000_000).default(100),
    rateLimitUploadsPerHour: z.number().int().min(1).max(1_000_000).default(10),
  })
  .check((ctx) => {
    if (ctx.value.nodeEnv === 'production' && ctx.value.jwtSecret === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        path: ['jwtSecret'],
        message: 'must be set in production (NODE_ENV=production)',
      });
    }
    for (const entry of ctx.value.rateLimitAllowlist) {
      if (!isIpOrCidr(entry)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value.rateLimitAllowlist,
          path: ['rateLimitAllowlist'],
          message: `'${entry}' is not an IP address or CIDR (e.g. 10.0.0.0/8)`,
        });
      }
    }
    if (ctx.value.dbPoolMin > ctx.value.dbPoolMax) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.dbPoolMin,
        path: ['dbPoolMin'],
        message: `must be ≤ DB_POOL_MAX (${ctx.value.dbPoolMax})`,
      });
    }
  });

export type Config = z.output<typeof configSchema>;

/** The environment variable behind each config field. */
export const ENV_VARIABLES = {
  port: 'PORT',
  host: 'HOST',
  serviceName: 'SERVICE_NAME',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  metricExportIntervalMs: 'OTEL_METRIC_EXPORT_INTERVAL',
  adminToken: 'ADMIN_TOKEN',
  carCount: 'CAR_COUNT',
  carSeed: 'CAR_SEED',
  telemetryEnabled: 'TELEMETRY_ENABLED',
  logLevel: 'LOG_LEVEL',
  databaseUrl: 'DATABASE_URL',
  dataDir: 'DATA_DIR',
  dbPoolMax: 'DB_POOL_MAX',
  dbPoolMin: 'DB_POOL_MIN',
  dbSearchConcurrency: 'DB_SEARCH_CONCURRENCY',
  dbPoolIdleTimeoutMs: 'DB_POOL_IDLE_TIMEOUT_MS',
  dbPoolAcquireTimeoutMs: 'DB_POOL_ACQUIRE_TIMEOUT_MS',
  redisUrl: 'REDIS_URL',
  redisCommandTimeoutMs: 'REDIS_COMMAND_TIMEOUT_MS',
  cacheKeyPrefix: 'CACHE_KEY_PREFIX',
  cacheL1MaxEntries: 'CACHE_L1_MAX_ENTRIES',
  cacheL1MaxMb: 'CACHE_L1_MAX_MB',
  cacheTtlCarMs: 'CACHE_TTL_CAR_MS',
  cacheTtlSearchMs: 'CACHE_TTL_SEARCH_MS',
  cacheTtlOtherMs: 'CACHE_TTL_OTHER_MS',
  priceChangerEnabled: 'PRICE_CHANGER_ENABLED',
  priceChangeIntervalMs: 'PRICE_CHANGE_INTERVAL_MS',
  priceChangesPerTick: 'PRICE_CHANGES_PER_TICK',
  tracesSampler: 'OTEL_TRACES_SAMPLER',
  tracesSamplerArg: 'OTEL_TRACES_SAMPLER_ARG',
  nodeEnv: 'NODE_ENV',
  jwtSecret: 'JWT_SECRET',
  authBcryptCost: 'AUTH_BCRYPT_COST',
  mailWebhookUrl: 'MAIL_WEBHOOK_URL',
  rateLimitEnabled: 'RATE_LIMIT_ENABLED',
  rateLimitAllowlist: 'RATE_LIMIT_ALLOWLIST',
  rateLimitAuthPerMinute: 'RATE_LIMIT_AUTH_PER_MIN',
  rateLimitSearchPerMinute: 'RATE_LIMIT_SEARCH_PER_MIN',
  rateLimitApiPerMinute: 'RATE_LIMIT_API_PER_MIN',
  rateLimitUploadsPerHour: 'RATE_LIMIT_UPLOADS_PER_HOUR',
} as const satisfies Record<keyof Config, string>;

const wholeNumber = z
  .string()
  .trim()
  .regex(/^\d+$/, 'must be a whole number')
  .transform((value) => Number(value));

// Step one only turns strings into the right types; an unset or empty variable means "use the default".
const envTypes = {
  port: wholeNumber,
  host: z.string(),
  serviceName: z.string(),
  otlpEndpoint: z.string(),
  metricExportIntervalMs: wholeNumber,
  adminToken: z.string(),
  carCount: wholeNumber,
  carSeed: wholeNumber,
  telemetryEnabled: z.stringbool({ error: 'must be true or false' }),
  logLevel: z.string().trim().toLowerCase(),
  databaseUrl: z.string(),
  dataDir: z.string(),
  dbPoolMax: wholeNumber,
  dbPoolMin: wholeNumber,
  dbSearchConcurrency: wholeNumber,
  dbPoolIdleTimeoutMs: wholeNumber,
  dbPoolAcquireTimeoutMs: wholeNumber,
  redisUrl: z.string(),
  redisCommandTimeoutMs: wholeNumber,
  cacheKeyPrefix: z.string(),
  cacheL1MaxEntries: wholeNumber,
  cacheL1MaxMb: wholeNumber,
  cacheTtlCarMs: wholeNumber,
  cacheTtlSearchMs: wholeNumber,
  cacheTtlOtherMs: wholeNumber,
  priceChangerEnabled: z.stringbool({ error: 'must be true or false' }),
  priceChangeIntervalMs: wholeNumber,
  priceChangesPerTick: wholeNumber,
  tracesSampler: z.string().trim().toLowerCase(),
  tracesSamplerArg: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number between 0 and 1')
    .transform((value) => Number(value)),
  nodeEnv: z.string().trim().toLowerCase(),
  jwtSecret: z.string(),
  authBcryptCost: wholeNumber,
  mailWebhookUrl: z.string().trim(),
  rateLimitEnabled: z.stringbool({ error: 'must be true or false' }),
  // Comma-separated IPs/CIDRs; "none" allowlists nothing.
  rateLimitAllowlist: z.string().transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '' && entry.toLowerCase() !== 'none'),
  ),
  rateLimitAuthPerMinute: wholeNumber,
  rateLimitSearchPerMinute: wholeNumber,
  rateLimitApiPerMinute: wholeNumber,
  rateLimitUploadsPerHour: wholeNumber,
} satisfies Record<keyof Config, z.ZodType>;

export type ConfigIssue = { variable: string; message: string };

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(
      `Invalid target-app configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

type EnvSource = Readonly<Record<string, string | undefined>>;

function describe(key: keyof Config, overridden: boolean): string {
  const variable = ENV_VARIABLES[key];
  return overridden ? `${key} (option overriding ${variable})` : variable;
}

function shown(key: keyof Config, value: unknown): string {
  if (key === 'adminToken' || key === 'jwtSecret') return '(hidden)';
  if ((key === 'databaseUrl' || key === 'redisUrl') && typeof value === 'string')
    return JSON.stringify(value.replace(/:[^:@/]*@/, ':***@'));
  return JSON.stringify(value);
}

/**
 * Config from the environment, then `overrides` on top, validated together. Throws ConfigError naming
 * every bad variable with the reason; the process entry prints it and exits.
 */
export function parseConfig(overrides: Partial<Config> = {}, source: EnvSource = process.env): Config {
  const issues: ConfigIssue[] = [];
  const fromEnv: Record<string, unknown> = {};
  for (const key of Object.keys(envTypes) as (keyof Config)[]) {
    const raw = source[ENV_VARIABLES[key]];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = envTypes[key].safeParse(raw);
    if (parsed.success) fromEnv[key] = parsed.data;
    else
      issues.push({
        variable: ENV_VARIABLES[key],
        message: `${parsed.error.issues[0]?.message} (got ${shown(key, raw)})`,
      });
  }
  const definedOverrides = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  );
  const merged = { ...fromEnv, ...definedOverrides };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      if (typeof key !== 'string' || !(key in ENV_VARIABLES)) {
        issues.push({ variable: issue.path.join('.') || '(options)', message: issue.message });
        continue;
      }
      const configKey = key as keyof Config;
      const value = merged[configKey];
      issues.push({
        variable: describe(configKey, configKey in definedOverrides),
        message: `${issue.message} (got ${shown(configKey, value)})`,
      });
    }
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return result.data;
}
