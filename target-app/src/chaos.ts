// Chaos controls: added latency (with jitter) and injected 500s on /api routes, so the control plane
// can prove that its charts, scores and alerts notice. Settings are gauges, so charts show the change.
// Process-wide faults (slow queries, memory leak, CPU burn, pool size) are applied by chaos/effects.ts.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Meter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ErrorBody } from './http/errors.ts';
import type { PromMetrics } from './metrics.ts';

const MAX_DELAY_MS = 30_000;

/**
 * Body of PUT /admin/chaos. PUT replaces the whole configuration: a field left out goes back to its
 * default (no chaos), so the result never depends on what was set before.
 */
export const chaosConfigSchema = z.strictObject({
  latencyMs: z.number().min(0).max(MAX_DELAY_MS).default(0),
  jitterMs: z.number().min(0).max(MAX_DELAY_MS).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  /** Fastify route patterns such as '/api/cars/:id'; empty means every /api route. */
  routes: z
    .array(
      z
        .string()
        .regex(/^\/api(\/|$)/, "must be an /api route pattern such as '/api/cars/:id'")
        .max(200),
    )
    .max(50)
    .default([]),
  /** false switches the response cache off (both levels), so QA can compare cache on vs off. */
  cacheEnabled: z.boolean().default(true),
  /** Added to each database query (holding its connection), for the share slowQueryRate of queries. */
  slowQueryMs: z.number().min(0).max(MAX_DELAY_MS).default(0),
  slowQueryRate: z.number().min(0).max(1).default(1),
  /** Memory retained per second until memoryLeakCapMb is held; 0 frees it all. */
  memoryLeakMbPerSec: z.number().min(0).max(100).default(0),
  memoryLeakCapMb: z.number().int().min(1).max(2048).default(256),
  /** Share of the event loop spent busy-waiting (0 = off). */
  cpuBurn: z.number().min(0).max(0.95).default(0),
  /** PostgreSQL pool size; null = the poolSize optimisation's (DB_POOL_MAX at start). */
  poolMax: z.number().int().min(1).max(500).nullable().default(null),
});

export type ChaosConfig = z.output<typeof chaosConfigSchema>;
export type ChaosState = ChaosConfig & { updatedAt: string };

export const NO_CHAOS: ChaosConfig = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  routes: [],
  cacheEnabled: true,
  slowQueryMs: 0,
  slowQueryRate: 1,
  memoryLeakMbPerSec: 0,
  memoryLeakCapMb: 256,
  cpuBurn: 0,
  poolMax: null,
});

export type ChaosController = {
  current(): ChaosState;
  set(config: ChaosConfig): ChaosState;
  reset(): ChaosState;
  onChange(listener: (state: ChaosState) => void): void;
};

export function createChaosController(now: () => Date = () => new Date()): ChaosController {
  let state: ChaosState = { ...NO_CHAOS, routes: [], updatedAt: now().toISOString() };
  const listeners: ((state: ChaosState) => void)[] = [];
  const set = (config: ChaosConfig): ChaosState => {
    state = { ...config, routes: [...config.routes], updatedAt: now().toISOString() };
    for (const listener of listeners) listener(state);
    return state;
  };
  return {
    current: () => state,
    set,
    reset: () => set(NO_CHAOS),
    onChange: (listener) => listeners.push(listener),
  };
}

/** Whether chaos applies to a request on `route` (a Fastify route pattern; undefined when unmatched). */
export function chaosAppliesTo(config: ChaosConfig, route: string | undefined): boolean {
  if (route === undefined || !/^\/api(\/|$)/.test(route)) return false;
  return config.routes.length === 0 || config.routes.includes(route);
}

/** Delay for one request: the fixed latency plus a uniform share of the jitter. */
export function chaosDelayMs(config: ChaosConfig, random: () => number = Math.random): number {
  return config.latencyMs + (config.jitterMs > 0 ? random() * config.jitterMs : 0);
}

export function isChaosActive(config: ChaosConfig): boolean {
  return config.latencyMs > 0 || config.jitterMs > 0 || config.errorRate > 0;
}

/**
 * Adds the chaos hook to an encapsulated instance holding the /api routes, so /health, /metrics and
 * /admin are never affected. Runs after the telemetry hook, so the injected delay is measured.
 */
export function registerChaosHook(api: FastifyInstance, controller: ChaosController): void {
  api.addHook('onRequest', async (request, reply) => {
    const config = controller.current();
    if (!isChaosActive(config) || !chaosAppliesTo(config, request.routeOptions.url)) return;
    const delay = chaosDelayMs(config);
    if (delay > 0) await sleep(delay);
    if (config.errorRate > 0 && Math.random() < config.errorRate) {
      return reply.code(500).send({ error: 'chaos: injected error' } satisfies ErrorBody);
    }
  });
}

/** Exposes the settings as OTel gauges (`chaos.latency_ms`, …) and prom-client gauges. */
export function observeChaos(controller: ChaosController, meter: Meter, prom: PromMetrics): void {
  const gauges = [
    {
      name: 'chaos.latency_ms',
      unit: 'ms',
      read: (c: ChaosConfig) => c.latencyMs,
      prom: prom.chaosLatencyMs,
    },
    { name: 'chaos.jitter_ms', unit: 'ms', read: (c: ChaosConfig) => c.jitterMs, prom: prom.chaosJitterMs },
    { name: 'chaos.error_rate', unit: '1', read: (c: ChaosConfig) => c.errorRate, prom: prom.chaosErrorRate },
    {
      name: 'chaos.cache_enabled',
      unit: '1',
      read: (c: ChaosConfig) => (c.cacheEnabled ? 1 : 0),
      prom: prom.chaosCacheEnabled,
    },
  ];
  for (const gauge of gauges) {
    meter
      .createObservableGauge(gauge.name, { unit: gauge.unit, description: 'Current chaos setting.' })
      .addCallback((result) => result.observe(gauge.read(controller.current())));
    gauge.prom.set(gauge.read(controller.current()));
  }
  controller.onChange((state) => {
    for (const gauge of gauges) gauge.prom.set(gauge.read(state));
  });
}
