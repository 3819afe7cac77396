// The plan's optimisations as run-time switches, so an experiment can measure what each one buys:
// one typed state (the value in force and the value at start), changed through /admin/optimisations.
// The code paths read the state on every call (cache, token validator, hasher, mail, counts, pool).
import { z } from 'zod';
import type { Config } from '../env.ts';

export const EMAIL_DELIVERIES = ['queued', 'inline'] as const;
export type EmailDelivery = (typeof EMAIL_DELIVERIES)[number];

/** bcrypt's own floor is 4; the ceiling is AUTH_BCRYPT_COST's, so a start value can always be put back. */
export const MIN_BCRYPT_COST = 4;
export const MAX_BCRYPT_COST = 15;
export const MAX_POOL_SIZE = 500;

export const optimisationSettingsSchema = z.strictObject({
  /** The two-level response cache (search pages, counts, facets, details, similar, makes). */
  responseCache: z.boolean(),
  /** The cache's second level, Redis (REDIS_URL): off → L1 and the database only. */
  redisL2: z.boolean(),
  /** Validated access tokens kept for their session (auth/token-validator.ts): off → every request verifies. */
  tokenValidationCache: z.boolean(),
  /** bcrypt cost of new password hashes; hashes of any cost keep verifying (the cost is in the hash). */
  bcryptCost: z
    .number()
    .int('must be a whole number')
    .min(MIN_BCRYPT_COST, `must be at least ${MIN_BCRYPT_COST}`)
    .max(MAX_BCRYPT_COST, `must be at most ${MAX_BCRYPT_COST}`),
  /** 'queued': the verification mail is sent in the background; 'inline': inside the register request. */
  emailDelivery: z.enum(EMAIL_DELIVERIES),
  /** A search's match count kept by its filters (other pages, sorts, facets reuse it): off → counted every time. */
  searchCountReuse: z.boolean(),
  /** The database pool's max connections: a new pool takes over at once, the old one drains. */
  poolSize: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_POOL_SIZE, `must be at most ${MAX_POOL_SIZE}`),
  /** The per-client rate limits (the same switch as PUT /admin/rate-limits {enabled}). */
  rateLimiting: z.boolean(),
});

export type OptimisationSettings = z.output<typeof optimisationSettingsSchema>;
export type OptimisationName = keyof OptimisationSettings;
export const OPTIMISATION_NAMES = Object.keys(optimisationSettingsSchema.shape) as OptimisationName[];

export const PRESETS = ['before-plan', 'start'] as const;
export type Preset = (typeof PRESETS)[number];

/**
 * The service before the plan: no caches, no count reuse, the mail sent inside the request, bcrypt at
 * 12 (the common default the plan lowers), node-postgres' default pool of 10, no rate limits.
 */
export const BEFORE_PLAN: Readonly<OptimisationSettings> = Object.freeze({
  responseCache: false,
  redisL2: false,
  tokenValidationCache: false,
  bcryptCost: 12,
  emailDelivery: 'inline',
  searchCountReuse: false,
  poolSize: 10,
  rateLimiting: false,
});

/**
 * Body of PUT /admin/optimisations: any of the switches (the others keep their value), optionally on
 * top of a preset ('before-plan', or 'start' = the values at start), which is applied first.
 */
export const optimisationChangeSchema = optimisationSettingsSchema.partial().extend({
  preset: z.enum(PRESETS).optional(),
});
export type OptimisationChange = z.output<typeof optimisationChangeSchema>;

export type OptimisationsState = {
  current: OptimisationSettings;
  start: OptimisationSettings;
  updatedAt: string;
};

/** One switch that moved: what the log line and the change counter name. */
export type OptimisationChangeEvent = {
  name: OptimisationName;
  from: OptimisationSettings[OptimisationName];
  to: OptimisationSettings[OptimisationName];
};

export type OptimisationsController = {
  current(): OptimisationSettings;
  state(): OptimisationsState;
  /** Applies a change; returns the new state and the switches that moved. */
  change(change: OptimisationChange): { state: OptimisationsState; changed: OptimisationChangeEvent[] };
  reset(): { state: OptimisationsState; changed: OptimisationChangeEvent[] };
  /** Called after every change that moved a switch, with the new settings and what moved. */
  onChange(listener: (settings: OptimisationSettings, changed: OptimisationChangeEvent[]) => void): void;
};

/** The values at start: what the environment configures (the plan's optimisations on). */
export function startOptimisations(
  config: Pick<Config, 'authBcryptCost' | 'dbPoolMax' | 'rateLimitEnabled'>,
): OptimisationSettings {
  return {
    responseCache: true,
    redisL2: true,
    tokenValidationCache: true,
    bcryptCost: config.authBcryptCost,
    emailDelivery: 'queued',
    searchCountReuse: true,
    poolSize: config.dbPoolMax,
    rateLimiting: config.rateLimitEnabled,
  };
}

/** The settings a change leads to from `current` (pure: the routes and tests share it). */
export function applyChange(
  current: OptimisationSettings,
  start: OptimisationSettings,
  change: OptimisationChange,
): OptimisationSettings {
  const { preset, ...switches } = change;
  const base = preset === 'before-plan' ? BEFORE_PLAN : preset === 'start' ? start : current;
  const defined = Object.entries(switches).filter(([, value]) => value !== undefined);
  return { ...base, ...(Object.fromEntries(defined) as Partial<OptimisationSettings>) };
}

/**
 * A switch whose value lives elsewhere (the rate limits' own controller): read and written through,
 * so the two admin resources never disagree.
 */
export type LinkedSwitch<T> = { read(): T; write(value: T): void };

export function createOptimisationsController(
  start: OptimisationSettings,
  linked: { rateLimiting?: LinkedSwitch<boolean> } = {},
  now: () => Date = () => new Date(),
): OptimisationsController {
  const frozenStart = Object.freeze({ ...start });
  let own: OptimisationSettings = { ...start };
  let updatedAt = now().toISOString();
  const listeners: ((settings: OptimisationSettings, changed: OptimisationChangeEvent[]) => void)[] = [];
  const current = (): OptimisationSettings =>
    linked.rateLimiting === undefined ? own : { ...own, rateLimiting: linked.rateLimiting.read() };
  const state = (): OptimisationsState => ({
    current: { ...current() },
    start: { ...frozenStart },
    updatedAt,
  });

  const moveTo = (next: OptimisationSettings) => {
    const before = current();
    const changed = OPTIMISATION_NAMES.filter((name) => next[name] !== before[name]).map((name) => ({
      name,
      from: before[name],
      to: next[name],
    }));
    if (changed.length > 0) {
      own = { ...next };
      if (next.rateLimiting !== before.rateLimiting) linked.rateLimiting?.write(next.rateLimiting);
      updatedAt = now().toISOString();
      for (const listener of listeners) listener(current(), changed);
    }
    return { state: state(), changed };
  };
  return {
    current,
    state,
    change: (change) => moveTo(applyChange(current(), frozenStart, change)),
    reset: () => moveTo(frozenStart),
    onChange: (listener) => listeners.push(listener),
  };
}
