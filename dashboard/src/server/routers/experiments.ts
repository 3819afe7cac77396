// Experiments (issue 23): what each of the plan's optimisations buys. Listed with their verdicts,
// one read with its progress and results, launched from a shipped plan (or an inline definition)
// with bounded overrides, stopped; qa and admin launch and stop, viewers read. The running parts
// live in the process (runtime/experiments/experiment-host.ts); this router reaches them through
// the services facade and imports only types from load-tests.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { experimentLaunchSchema } from '../../lib/experiment-input.ts';
import { type ExperimentProgress, experimentRow } from '../../lib/experiment-view.ts';
import type { HostEvent } from '../../runtime/experiments/experiment-host.ts';
import { streamOf } from '../live.ts';
import type { Services } from '../services.ts';
import { qaProcedure, router, viewerProcedure } from '../trpc.ts';

const LIST_LIMIT = 50;
const idInput = z.object({ id: z.string().regex(/^exp_[A-Za-z0-9_]{1,80}$/, 'must be an experiment id') });

function hostOf(services: Services) {
  if (!services.experiments)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'experiments are not hosted by this process',
    });
  return services.experiments;
}

export const experimentsRouter = router({
  /** The shipped plans a launch may start from. */
  plans: viewerProcedure.query(({ ctx }) => hostOf(ctx.services).plans()),

  /** Newest first, each with its verdicts counted; the running one's progress beside. */
  list: viewerProcedure.query(async ({ ctx }) => {
    const host = hostOf(ctx.services);
    const experiments = await host.list(LIST_LIMIT);
    return { experiments: experiments.map(experimentRow), progress: host.progress() };
  }),

  /** One experiment: definition, runs (linked to cp_runs), results, and its progress while it runs. */
  get: viewerProcedure.input(idInput).query(async ({ ctx, input }) => {
    const host = hostOf(ctx.services);
    const experiment = await host.get(input.id);
    if (!experiment) throw new TRPCError({ code: 'NOT_FOUND', message: `no experiment ${input.id}` });
    const progress = host.progress();
    return {
      experiment,
      progress: progress?.experimentId === input.id ? progress : null,
      kpis: host.kpis(),
    };
  }),

  launch: qaProcedure.input(experimentLaunchSchema).mutation(async ({ ctx, input }) => {
    const role = ctx.user.role === 'admin' ? 'admin' : 'qa';
    const limits = ctx.services.config.runLimits?.[role];
    const answer = await hostOf(ctx.services).launch({
      plan: input.plan,
      definition: input.definition,
      overrides: input.overrides,
      launchedBy: ctx.user.name,
      role,
      limits: limits ? { ...limits, appliesTo: `the ${role} role` } : undefined,
    });
    if (!answer.ok) throw new TRPCError({ code: answer.code, message: answer.message });
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'experiment.launch',
      target: answer.id,
      details: {
        plan: input.definition ? '(inline definition)' : (input.plan ?? '(shipped)'),
        overrides: input.overrides,
      },
    });
    return { id: answer.id };
  }),

  /** Asks the running experiment to stop: its run is stopped, none other starts, the target is put back. */
  stop: qaProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    if (!hostOf(ctx.services).stop(input.id))
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: `experiment ${input.id} is not running in this process`,
      });
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'experiment.stop',
      target: input.id,
    });
    return { id: input.id, stopping: true };
  }),

  /** The running experiment's progress now, then at every change; null when none runs. */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<{
    progress: ExperimentProgress | null;
    ended: string | null;
  }> {
    const host = hostOf(ctx.services);
    const events = streamOf<HostEvent>((listener) => host.subscribe(listener), signal);
    yield { progress: host.progress(), ended: null };
    for await (const event of events)
      yield event.type === 'ended'
        ? { progress: host.progress(), ended: event.id }
        : { progress: event.progress, ended: null };
  }),
});
