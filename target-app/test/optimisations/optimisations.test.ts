// The switches' state on its own (presets, partial changes, the linked rate-limit switch, what moved)
// and the admin routes in a real Fastify instance: one structured log line per switch that moved.
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createChaosController } from '../../src/chaos.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { registerOptimisationRoutes } from '../../src/optimisations/admin-routes.ts';
import {
  applyChange,
  BEFORE_PLAN,
  createOptimisationsController,
  type OptimisationSettings,
} from '../../src/optimisations/optimisations.ts';

const START: OptimisationSettings = {
  responseCache: true,
  redisL2: true,
  tokenValidationCache: true,
  bcryptCost: 10,
  emailDelivery: 'queued',
  searchCountReuse: true,
  poolSize: 20,
  rateLimiting: true,
};

describe('optimisation settings', () => {
  it('applies a preset first, then the switches given; the rest keep their value', () => {
    const current = { ...START, bcryptCost: 8 };
    expect(applyChange(current, START, { poolSize: 5 })).toEqual({ ...current, poolSize: 5 });
    expect(applyChange(current, START, { preset: 'before-plan' })).toEqual(BEFORE_PLAN);
    expect(applyChange(current, START, { preset: 'start', redisL2: false })).toEqual({
      ...START,
      redisL2: false,
    });
  });

  it('reports exactly the switches that moved, and tells listeners only when one did', () => {
    const controller = createOptimisationsController(START);
    const heard: string[][] = [];
    controller.onChange((_settings, changed) => heard.push(changed.map((c) => c.name)));
    expect(controller.change({ bcryptCost: 10, responseCache: true }).changed).toEqual([]);
    expect(controller.change({ bcryptCost: 12, emailDelivery: 'inline' }).changed).toEqual([
      { name: 'bcryptCost', from: 10, to: 12 },
      { name: 'emailDelivery', from: 'queued', to: 'inline' },
    ]);
    const reset = controller.reset();
    expect(reset.state.current).toEqual(START);
    expect(reset.changed.map((c) => c.name)).toEqual(['bcryptCost', 'emailDelivery']);
    expect(heard).toEqual([
      ['bcryptCost', 'emailDelivery'],
      ['bcryptCost', 'emailDelivery'],
    ]);
  });

  it('reads and writes a linked switch where it lives', () => {
    let enabled = true;
    const controller = createOptimisationsController(START, {
      rateLimiting: {
        read: () => enabled,
        write: (value) => {
          enabled = value;
        },
      },
    });
    controller.change({ rateLimiting: false });
    expect(enabled).toBe(false);
    // Changed elsewhere (PUT /admin/rate-limits): the state says so.
    enabled = true;
    expect(controller.current().rateLimiting).toBe(true);
    expect(controller.change({ rateLimiting: true }).changed).toEqual([]);
  });
});

describe('optimisation admin routes', () => {
  async function app() {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    const fastify = Fastify({ logger: { level: 'warn', stream } });
    registerErrorHandling(fastify);
    const controller = createOptimisationsController(START);
    registerOptimisationRoutes(fastify, {
      controller,
      chaos: createChaosController(),
      redisConfigured: true,
      poolResizable: true,
    });
    await fastify.ready();
    return { fastify, lines, controller };
  }

  it('logs one line per switch that moved, naming it with its old and new value', async () => {
    const { fastify, lines } = await app();
    const put = await fastify.inject({
      method: 'PUT',
      url: '/admin/optimisations',
      payload: { bcryptCost: 12, poolSize: 20, searchCountReuse: false },
    });
    expect(put.statusCode).toBe(200);
    const logged = lines.filter((l) => l.optimisation !== undefined);
    expect(logged).toEqual([
      expect.objectContaining({
        optimisation: 'bcryptCost',
        from: 10,
        to: 12,
        msg: 'optimisation bcryptCost changed: 10 → 12',
      }),
      expect.objectContaining({ optimisation: 'searchCountReuse', from: true, to: false }),
    ]);
    await fastify.inject({ method: 'DELETE', url: '/admin/optimisations' });
    expect(lines.filter((l) => String(l.msg).includes('reset')).map((l) => l.optimisation)).toEqual([
      'bcryptCost',
      'searchCountReuse',
    ]);
    await fastify.close();
  });

  it('refuses bad input without logging or changing anything', async () => {
    const { fastify, lines, controller } = await app();
    const bad = await fastify.inject({
      method: 'PUT',
      url: '/admin/optimisations',
      payload: { bcryptCost: 99 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error: 'invalid optimisation settings',
      issues: [{ path: 'bcryptCost', message: 'must be at most 15' }],
    });
    expect(lines.filter((l) => l.optimisation !== undefined)).toEqual([]);
    expect(controller.current()).toEqual(START);
    await fastify.close();
  });
});
