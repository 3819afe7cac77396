// The target's optimisation switches (PUT /admin/optimisations takes a partial object of them; GET
// answers { current, start, … }) and
// the KPIs an experiment measures per run. The one place both key lists live.
import { z } from 'zod';

/** Where the target's optimisation switches live (bearer ADMIN_TOKEN, like /admin/chaos). */
export const OPTIMISATIONS_RESOURCE = '/admin/optimisations';

/** One schema per switch, as the target's admin API takes them. */
export const OPTIMISATION_SETTINGS = {
  responseCache: z.boolean(),
  redisL2: z.boolean(),
  tokenValidationCache: z.boolean(),
  bcryptCost: z
    .number()
    .int('must be a whole number')
    .min(4, 'must be at least 4')
    .max(15, 'must be at most 15'),
  emailDelivery: z.enum(['queued', 'inline']),
  searchCountReuse: z.boolean(),
  poolSize: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500'),
  rateLimiting: z.boolean(),
} as const;

export type OptimisationKey = keyof typeof OPTIMISATION_SETTINGS;
export const OPTIMISATION_KEYS = Object.keys(OPTIMISATION_SETTINGS) as OptimisationKey[];

/** A partial set of switches: what a variant sets through PUT /admin/optimisations. */
export const optimisationSettingsSchema = z.strictObject(OPTIMISATION_SETTINGS).partial();
export type OptimisationSettings = z.output<typeof optimisationSettingsSchema>;

/** A setting's value on any resource (chaos, rate limits, optimisations): JSON the target validates. */
export type SettingValue = string | number | boolean | null | SettingValue[] | { [k: string]: SettingValue };
export type Settings = Record<string, SettingValue>;

/**
 * What an experiment measures per run. `lower`: smaller is better (latency, errors). `relative`:
 * an effect is a ratio of means (latency); `absolute`: a difference of means (shares such as the
 * error rate or the cache hit rate, where a zero mean makes a ratio meaningless).
 */
export const KPIS = {
  p95Ms: { name: 'p95 (all requests)', unit: 'ms', better: 'lower', effect: 'relative' },
  p99Ms: { name: 'p99 (all requests)', unit: 'ms', better: 'lower', effect: 'relative' },
  errorRate: { name: 'error rate', unit: 'share', better: 'lower', effect: 'absolute' },
  reqRate: { name: 'request rate', unit: 'req/s', better: 'higher', effect: 'relative' },
  searchP95Ms: { name: 'search p95 (GET /api/cars)', unit: 'ms', better: 'lower', effect: 'relative' },
  authP95Ms: {
    name: 'authenticated p95 (GET /api/auth/me)',
    unit: 'ms',
    better: 'lower',
    effect: 'relative',
  },
  loginP95Ms: { name: 'login p95', unit: 'ms', better: 'lower', effect: 'relative' },
  registerP95Ms: { name: 'register p95', unit: 'ms', better: 'lower', effect: 'relative' },
  detailsP95Ms: { name: 'car details p95', unit: 'ms', better: 'lower', effect: 'relative' },
  recommendationsP95Ms: { name: 'recommendations p95', unit: 'ms', better: 'lower', effect: 'relative' },
  cacheHitRate: { name: 'cache hit rate (any level)', unit: 'share', better: 'higher', effect: 'absolute' },
} as const satisfies Record<
  string,
  { name: string; unit: string; better: 'lower' | 'higher'; effect: 'relative' | 'absolute' }
>;

export type KpiId = keyof typeof KPIS;
export const KPI_IDS = Object.keys(KPIS) as KpiId[];

/** The k6 request name behind each per-endpoint KPI (k6/lib/thresholds.js names). */
export const ENDPOINT_KPIS: Partial<Record<KpiId, string>> = {
  searchP95Ms: 'GET /api/cars',
  authP95Ms: 'GET /api/auth/me',
  loginP95Ms: 'POST /api/auth/login',
  registerP95Ms: 'POST /api/auth/register',
  detailsP95Ms: 'GET /api/cars/:id',
  recommendationsP95Ms: 'GET /api/recommendations',
};
