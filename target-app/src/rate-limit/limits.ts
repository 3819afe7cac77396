// Rate-limit settings per endpoint class (the product plan's defaults: auth 5/min, search 50/min, API
// 100/min, uploads 10/h), switchable at run time through the admin API and exposed as gauges so charts
// show when they changed.
import type { Meter } from '@opentelemetry/api';
import { Counter, Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import type { Config } from '../env.ts';
import { type Allowlist, createAllowlist, isIpOrCidr } from './allowlist.ts';

export const ENDPOINT_CLASSES = ['auth', 'search', 'api', 'uploads'] as const;
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];

const limitSchema = z.strictObject({
  max: z.number().int().min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000'),
  windowSeconds: z.number().int().min(1, 'must be at least 1 s').max(86_400, 'must be at most a day'),
});
export type Limit = z.output<typeof limitSchema>;

export type RateLimitSettings = {
  enabled: boolean;
  allowlist: string[];
  limits: Record<EndpointClass, Limit>;
};
export type RateLimitState = RateLimitSettings & { updatedAt: string };

/**
 * Body of PUT /admin/rate-limits. Like PUT /admin/chaos it replaces the whole setting: what is left
 * out goes back to its configured default (the environment's values), so the result never depends on
 * earlier changes.
 */
export function rateLimitSettingsSchema(defaults: RateLimitSettings) {
  return z.strictObject({
    enabled: z.boolean().default(defaults.enabled),
    allowlist: z
      .array(z.string().refine(isIpOrCidr, 'must be an IP address or CIDR such as 10.0.0.0/8'))
      .max(1000)
      .default(defaults.allowlist),
    limits: z
      .strictObject({
        auth: limitSchema.default(defaults.limits.auth),
        search: limitSchema.default(defaults.limits.search),
        api: limitSchema.default(defaults.limits.api),
        uploads: limitSchema.default(defaults.limits.uploads),
      })
      .default(defaults.limits),
  });
}

export function defaultRateLimits(
  config: Pick<
    Config,
    | 'rateLimitEnabled'
    | 'rateLimitAllowlist'
    | 'rateLimitAuthPerMinute'
    | 'rateLimitSearchPerMinute'
    | 'rateLimitApiPerMinute'
    | 'rateLimitUploadsPerHour'
  >,
): RateLimitSettings {
  return {
    enabled: config.rateLimitEnabled,
    allowlist: [...config.rateLimitAllowlist],
    limits: {
      auth: { max: config.rateLimitAuthPerMinute, windowSeconds: 60 },
      search: { max: config.rateLimitSearchPerMinute, windowSeconds: 60 },
      api: { max: config.rateLimitApiPerMinute, windowSeconds: 60 },
      uploads: { max: config.rateLimitUploadsPerHour, windowSeconds: 3_600 },
    },
  };
}

export type RateLimitController = {
  readonly defaults: RateLimitSettings;
  current(): RateLimitState;
  allowlist(): Allowlist;
  set(settings: RateLimitSettings): RateLimitState;
  reset(): RateLimitState;
  onChange(listener: (state: RateLimitState) => void): void;
};

export function createRateLimitController(
  defaults: RateLimitSettings,
  now: () => Date = () => new Date(),
): RateLimitController {
  let state: RateLimitState = { ...structuredClone(defaults), updatedAt: now().toISOString() };
  let compiled = createAllowlist(state.allowlist);
  const listeners: ((state: RateLimitState) => void)[] = [];
  const set = (settings: RateLimitSettings): RateLimitState => {
    state = { ...structuredClone(settings), updatedAt: now().toISOString() };
    compiled = createAllowlist(state.allowlist);
    for (const listener of listeners) listener(state);
    return state;
  };
  return {
    defaults,
    current: () => state,
    allowlist: () => compiled,
    set,
    reset: () => set(defaults),
    onChange: (listener) => listeners.push(listener),
  };
}

export type RateLimitMetrics = { rejected(endpointClass: EndpointClass): void };

/**
 * Gauges `rate_limit.enabled`, `rate_limit.max` and `rate_limit.window` (per class) and the counter
 * `rate_limit.rejected`, in OTel and prom-client.
 */
export function observeRateLimits(
  controller: RateLimitController,
  meter: Meter,
  registry: Registry,
): RateLimitMetrics {
  const promEnabled = new Gauge({
    name: 'rate_limit_enabled',
    help: 'Whether rate limiting is on (1) or switched off (0).',
    registers: [registry],
  });
  const promMax = new Gauge({
    name: 'rate_limit_max_requests',
    help: 'Requests allowed per client and window, by endpoint class.',
    labelNames: ['class'],
    registers: [registry],
  });
  const promWindow = new Gauge({
    name: 'rate_limit_window_seconds',
    help: 'Rate-limit window length by endpoint class.',
    labelNames: ['class'],
    registers: [registry],
  });
  const promRejected = new Counter({
    name: 'rate_limit_rejected_total',
    help: 'Requests refused with 429 by endpoint class.',
    labelNames: ['class'],
    registers: [registry],
  });
  const rejected = meter.createCounter('rate_limit.rejected', {
    unit: '{request}',
    description: 'Requests refused with 429 by endpoint class.',
  });
  meter
    .createObservableGauge('rate_limit.enabled', { unit: '1', description: 'Whether rate limiting is on.' })
    .addCallback((result) => result.observe(controller.current().enabled ? 1 : 0));
  meter
    .createObservableGauge('rate_limit.max', {
      unit: '{request}',
      description: 'Requests allowed per client and window.',
    })
    .addCallback((result) => {
      for (const c of ENDPOINT_CLASSES)
        result.observe(controller.current().limits[c].max, { 'rate_limit.class': c });
    });
  meter
    .createObservableGauge('rate_limit.window', { unit: 's', description: 'Rate-limit window length.' })
    .addCallback((result) => {
      for (const c of ENDPOINT_CLASSES)
        result.observe(controller.current().limits[c].windowSeconds, { 'rate_limit.class': c });
    });
  const publish = (state: RateLimitState) => {
    promEnabled.set(state.enabled ? 1 : 0);
    for (const c of ENDPOINT_CLASSES) {
      promMax.set({ class: c }, state.limits[c].max);
      promWindow.set({ class: c }, state.limits[c].windowSeconds);
    }
  };
  publish(controller.current());
  controller.onChange(publish);
  return {
    rejected(endpointClass) {
      rejected.add(1, { 'rate_limit.class': endpointClass });
      promRejected.inc({ class: endpointClass });
    },
  };
}
