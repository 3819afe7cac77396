// Load-test runs: the scenario catalogue and allowlist, launch and stop, the list of recent runs,
// and a live stream of run state and k6 status for the Load tests page and the Overview.
import { TRPCError } from '@trpc/server';
import type { RunLimits } from 'load-tests';
import {
  isParamValidationError,
  isRunQueueFullError,
  parseDuration,
  type RunEvent,
  scenarios,
} from 'load-tests/model';
import { z } from 'zod';
import type { Role } from '../../lib/roles.ts';
import type { RunStreamEvent } from '../../lib/run-stream.ts';
import { mergeRuns, type RunView, toRunView } from '../../lib/run-view.ts';
import { streamOf } from '../live.ts';
import { readStoredRun, readStoredRuns } from '../run-history.ts';
import type { Services } from '../services.ts';
import { qaProcedure, router, viewerProcedure } from '../trpc.ts';

export interface ScenarioOption {
  name: string;
  description: string;
  defaults: { vus: number; duration: string };
  limits: { maxVus: number; maxDuration: string };
  /** Scaled scenarios: the plan's peak VUs and shape at scale 1. */
  plan: { peakVus: number; shape: string } | null;
  /** What one machine of this size sustains with the scenario's script. */
  capacity: string | null;
}

const RECENT_LIMIT = 30;

async function listRuns(services: Services): Promise<{ runs: RunView[]; storeError: string | null }> {
  const live = services.launcher.list().map(toRunView);
  try {
    const stored = await readStoredRuns(services.store.client, RECENT_LIMIT);
    const liveIds = new Set(live.map((r) => r.id));
    return { runs: mergeRuns(live, stored, liveIds).slice(0, RECENT_LIMIT), storeError: null };
  } catch (error) {
    return { runs: mergeRuns(live, []), storeError: `could not read past runs: ${(error as Error).message}` };
  }
}

/** k6 durations as the catalogue and RUN_MAX_DURATION_* write them (e.g. 10m, 48h). */
const durationMs = (d: string): number => parseDuration(d) ?? Number.POSITIVE_INFINITY;
const shorter = (a: string, b: string) => (durationMs(a) <= durationMs(b) ? a : b);

/** The ceilings of the role launching (qaProcedure: qa or admin), named for the refusal message. */
function limitsOf(services: Services, role: Role): RunLimits | undefined {
  const limits = services.config.runLimits;
  if (!limits) return undefined;
  const own = role === 'admin' ? limits.admin : limits.qa;
  return { ...own, appliesTo: `the ${role === 'admin' ? 'admin' : 'qa'} role` };
}

function toStreamEvent(event: RunEvent): RunStreamEvent | null {
  switch (event.type) {
    case 'state':
      return { type: 'run', run: toRunView(event.run) };
    case 'status': {
      const { type: _type, runId, ...live } = event;
      return { type: 'status', runId, live };
    }
    case 'log':
      return null;
    default: {
      const unknownEvent: never = event;
      throw new Error(`unknown run event ${JSON.stringify(unknownEvent)}`);
    }
  }
}

export const runsRouter = router({
  /** What the launch form offers: scenarios with their defaults and limits, and the target allowlist. */
  catalogue: viewerProcedure.query(({ ctx }) => {
    const own = limitsOf(ctx.services, ctx.user.role);
    const options: ScenarioOption[] = Object.values(scenarios).map((s) => ({
      name: s.name,
      description: s.description,
      defaults: { vus: s.defaults.vus, duration: s.defaults.duration },
      // What this user may launch: the scenario's limits within their role's ceilings.
      limits: own
        ? {
            maxVus: Math.min(s.limits.maxVus, own.maxVus),
            maxDuration: shorter(s.limits.maxDuration, own.maxDuration),
          }
        : { maxVus: s.limits.maxVus, maxDuration: s.limits.maxDuration },
      plan: 'plan' in s && s.plan ? { peakVus: s.plan.peakVus, shape: s.plan.shape } : null,
      capacity: 'capacity' in s && s.capacity ? s.capacity : null,
    }));
    return { scenarios: options, targets: ctx.services.config.targets };
  }),

  list: viewerProcedure.query(({ ctx }) => listRuns(ctx.services)),

  get: viewerProcedure.input(z.object({ id: z.string().min(1) })).query(async ({ ctx, input }) => {
    const live = ctx.services.launcher.get(input.id);
    if (live) return toRunView(live);
    const stored = await readStoredRun(ctx.services.store.client, input.id);
    if (!stored) throw new TRPCError({ code: 'NOT_FOUND', message: `no run ${input.id}` });
    return mergeRuns([], [stored], new Set())[0] ?? stored;
  }),

  launch: qaProcedure
    .input(
      z.object({
        scenario: z.string().min(1, 'choose a scenario'),
        params: z.record(z.string(), z.unknown()),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      let run: RunView;
      try {
        run = toRunView(
          ctx.services.launcher.launch({
            scenario: input.scenario,
            params: input.params,
            launchedBy: ctx.user.name,
            limits: limitsOf(ctx.services, ctx.user.role),
          }),
        );
      } catch (error) {
        if (isParamValidationError(error))
          throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
        if (isRunQueueFullError(error)) {
          ctx.resHeaders?.set('retry-after', String(error.retryAfterSeconds));
          throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message, cause: error });
        }
        throw error;
      }
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'run.launch',
        target: run.id,
        details: { scenario: input.scenario, params: input.params },
      });
      return run;
    }),

  /** Asks a run to stop and returns at once; the live stream shows it go through stopping to its end. */
  stop: qaProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const { launcher } = ctx.services;
    if (!launcher.get(input.id)) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `run ${input.id} is not active in this process` });
    }
    launcher
      .stop(input.id)
      .catch((error: unknown) => console.error(`dashboard: stopping run ${input.id} failed`, error));
    const run = launcher.get(input.id);
    if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `run ${input.id} disappeared` });
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'run.stop',
      target: input.id,
      details: { scenario: run.scenario },
    });
    return toRunView(run);
  }),

  /** The launcher's runs now, then every state change and live k6 status as it happens. */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<RunStreamEvent> {
    const { launcher } = ctx.services;
    const events = streamOf<RunEvent>((listener) => launcher.subscribe(listener), signal);
    yield { type: 'snapshot', runs: mergeRuns(launcher.list().map(toRunView), []) };
    for await (const event of events) {
      const out = toStreamEvent(event);
      if (out) yield out;
    }
  }),
});
