// Run reports and comparisons: one run's results from the store (Gatling's report as the model),
// two runs side by side with the noise band, a scenario's trend across runs, and its baseline.
// The figures come from load-tests' results library, which reads the store by run id.
import { readFile } from 'node:fs/promises';
import { TRPCError } from '@trpc/server';
import { isBaselineError, isRunNotFoundError, scenarios } from 'load-tests/model';
import {
  clearBaseline,
  comparableRuns,
  compareResults,
  markBaseline,
  noiseBand,
  queryRunReport,
  readBaseline,
  readRun,
  readScenarioRuns,
  scenarioTrend,
} from 'load-tests/results';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { qaProcedure, router, viewerProcedure } from '../trpc.ts';

/** Run ids as the launcher makes them (run_20261123T010000Z_abc123); anything else is refused. */
export const runIdSchema = z
  .string()
  .regex(/^[\w.-]{1,100}$/, 'a run id such as run_20261123T010000Z_abc123');
const scenarioSchema = z.string().regex(/^[\w.-]{1,100}$/, 'a scenario name such as smoke');

/** The tail of the run log shown on the report: enough to see why a run ended. */
const LOG_TAIL_BYTES = 64 * 1024;

/** The results library's refusals as tRPC errors: an unknown run, a run that cannot be a baseline. */
function asTrpcError(error: unknown): never {
  if (isRunNotFoundError(error))
    throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
  if (isBaselineError(error) || error instanceof z.ZodError)
    throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  throw error;
}

/** The log of a run this process launched (k6's stdout/stderr); older runs keep theirs on disk only. */
async function runLog(services: Services, id: string): Promise<string | null> {
  const live = services.launcher.get(id);
  if (!live) return null;
  try {
    const text = await readFile(live.logPath, 'utf8');
    return text.length > LOG_TAIL_BYTES ? `…\n${text.slice(-LOG_TAIL_BYTES)}` : text;
  } catch {
    return null;
  }
}

export async function buildRunReport(services: Services, id: string) {
  const client = services.store.client;
  const opts = { serverService: services.config.targetServiceName };
  const [report, run] = await Promise.all([queryRunReport(client, id, opts), readRun(client, id)]);
  const [baseline, log] = await Promise.all([readBaseline(client, run.scenario), runLog(services, id)]);
  const live = services.launcher.get(id);
  return {
    report,
    run: {
      launchedBy: run.launchedBy,
      createdAt: run.createdAt,
      exitCode: run.exitCode,
      exitMeaning: run.result?.exitMeaning ?? null,
      reason: live && 'reason' in live ? live.reason : null,
    },
    baseline,
    log,
  };
}

export const reportsRouter = router({
  /** One run's report: results, percentiles over time, distribution, the scenario's baseline, the log. */
  run: viewerProcedure
    .input(z.object({ id: runIdSchema }))
    .query(({ ctx, input }) => buildRunReport(ctx.services, input.id).catch(asTrpcError)),

  /** Baseline vs candidate: both reports (for the overlaid charts) and the diff under the noise band. */
  compare: viewerProcedure
    .input(z.object({ base: runIdSchema, candidate: runIdSchema }))
    .query(async ({ ctx, input }) => {
      const client = ctx.services.store.client;
      const opts = { serverService: ctx.services.config.targetServiceName };
      try {
        const [base, candidate, candidateRun] = await Promise.all([
          queryRunReport(client, input.base, opts),
          queryRunReport(client, input.candidate, opts),
          readRun(client, input.candidate),
        ]);
        const history = comparableRuns(await readScenarioRuns(client, candidateRun.scenario), candidateRun);
        return {
          comparison: compareResults(base.results, candidate.results, noiseBand(history)),
          series: { base: base.series, candidate: candidate.series },
          stepSeconds: { base: base.stepSeconds, candidate: candidate.stepSeconds },
        };
      } catch (error) {
        return asTrpcError(error);
      }
    }),

  /** The scenarios QA can pick from (the catalogue's names). */
  scenarios: viewerProcedure.query(() => Object.keys(scenarios)),

  /** A scenario's ended runs, oldest first, with their key figures; also the compare page's picker. */
  trend: viewerProcedure
    .input(z.object({ scenario: scenarioSchema }))
    .query(({ ctx, input }) => scenarioTrend(ctx.services.store.client, input.scenario)),

  /** Makes an ended run its scenario's baseline (qa and admin), recorded in the audit log. */
  markBaseline: qaProcedure.input(z.object({ id: runIdSchema })).mutation(async ({ ctx, input }) => {
    const baseline = await markBaseline(ctx.services.store.client, {
      runId: input.id,
      markedBy: ctx.user.name,
    }).catch(asTrpcError);
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'run.baseline',
      target: input.id,
      details: { scenario: baseline.scenario },
    });
    return baseline;
  }),

  /** Clears a scenario's baseline (qa and admin), recorded in the audit log like marking one. */
  clearBaseline: qaProcedure
    .input(z.object({ scenario: scenarioSchema }))
    .mutation(async ({ ctx, input }) => {
      await clearBaseline(ctx.services.store.client, {
        scenario: input.scenario,
        markedBy: ctx.user.name,
      }).catch(asTrpcError);
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'run.baseline',
        target: '',
        details: { scenario: input.scenario, cleared: true },
      });
      return { scenario: input.scenario, cleared: true };
    }),
});
