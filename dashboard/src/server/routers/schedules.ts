// Scheduled runs: viewers list them (next and last run, the latest notice); qa and admin create,
// pause, resume and delete them. Each change is audited. The scheduler itself runs in the
// dashboard process (runtime/scheduler/), reached through the services facade.
import { TRPCError } from '@trpc/server';
import { isParamValidationError } from 'load-tests/model';
import { z } from 'zod';
import type { ScheduleView } from '../../lib/schedule-view.ts';
import { streamOf } from '../live.ts';
import { isScheduleNotFoundError } from '../schedules/schedule-errors.ts';
import { scheduleIdSchema, scheduleInputSchema } from '../schedules/schedule-input.ts';
import type { Services } from '../services.ts';
import { qaProcedure, router, type TRPCContext, viewerProcedure } from '../trpc.ts';

type QaContext = TRPCContext & { user: NonNullable<TRPCContext['user']> };

function schedulerOf(services: Services) {
  if (!services.schedules)
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'no scheduler runs in this process' });
  return services.schedules;
}

function asTrpcError(error: unknown): never {
  if (isScheduleNotFoundError(error))
    throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
  if (isParamValidationError(error))
    throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  throw error;
}

const byId = z.object({ id: scheduleIdSchema }).strict();

export const schedulesRouter = router({
  list: viewerProcedure.query(async ({ ctx }) => ({ schedules: await schedulerOf(ctx.services).list() })),

  /** The list now, then again after every change: a schedule edited or fired, a scheduled run moving on. */
  live: viewerProcedure.subscription(async function* ({
    ctx,
    signal,
  }): AsyncGenerator<{ schedules: ScheduleView[] }> {
    const scheduler = schedulerOf(ctx.services);
    const changes = streamOf<true>((listener) => {
      const fromScheduler = scheduler.subscribe(() => listener(true));
      const fromRuns = ctx.services.launcher.subscribe((event) => {
        if (event.type === 'state' && event.run.launchedBy.startsWith('schedule:')) listener(true);
      });
      return () => {
        fromScheduler();
        fromRuns();
      };
    }, signal);
    yield { schedules: await scheduler.list() };
    for await (const _ of changes) yield { schedules: await scheduler.list() };
  }),

  create: qaProcedure.input(scheduleInputSchema).mutation(async ({ ctx, input }) => {
    const created = await schedulerOf(ctx.services).create(input, ctx.user).catch(asTrpcError);
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'schedule.create',
      target: created.id,
      details: {
        name: created.name,
        scenario: created.scenario,
        params: created.params,
        cron: created.cron,
        timeZone: created.timeZone,
        notify: created.notify,
      },
    });
    return created;
  }),

  pause: qaProcedure.input(byId).mutation(({ ctx, input }) => setPaused(ctx, input.id, true)),
  resume: qaProcedure.input(byId).mutation(({ ctx, input }) => setPaused(ctx, input.id, false)),

  delete: qaProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const s = await schedulerOf(ctx.services).remove(input.id).catch(asTrpcError);
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'schedule.delete',
      target: s.id,
      details: { name: s.name, scenario: s.scenario, cron: s.cron },
    });
    return { id: s.id, deleted: true };
  }),
});

/** Pauses or resumes a schedule, audited as schedule.pause / schedule.resume. */
async function setPaused(ctx: QaContext, id: string, paused: boolean) {
  const s = await schedulerOf(ctx.services).setPaused(id, paused).catch(asTrpcError);
  await ctx.services.audit.record({
    actor: ctx.user.name,
    role: ctx.user.role,
    action: paused ? 'schedule.pause' : 'schedule.resume',
    target: s.id,
    details: { name: s.name },
  });
  return s;
}
