// Carries one run from queued to its end: starts k6, watches it through the REST API, stops it
// (REST stop → SIGTERM → SIGKILL) and turns its exit and summary into the run's final state.
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { outcomeOfExit, STOPPED_BY_USER, type StopCause } from './exit-codes.ts';
import { findFreePort } from './free-port.ts';
import { buildK6Command, type HistogramLayout, type K6Exit, type K6Process, spawnK6 } from './k6-process.ts';
import { createK6RestClient, liveStatusFrom } from './k6-rest.ts';
import {
  assertNever,
  type EndedRun,
  isTerminal,
  type LiveStatus,
  type QueuedRun,
  type Run,
  type RunResult,
  type TerminalRunState,
} from './run-state.ts';
import { parseDuration, type ScenarioDefinition, type ScenarioParams } from './scenarios.ts';
import { type K6Summary, readSummaryFile, resultFromSummary } from './summary.ts';

export type RunTimings = {
  /** REST API polling while running. */
  pollIntervalMs: number;
  /** After a REST stop, how long k6 gets to finish before SIGTERM. */
  stopTimeoutMs: number;
  /** After SIGTERM, how long before SIGKILL. */
  killTimeoutMs: number;
  /**
   * How long past its planned duration a run may go on (graceful stops, teardown, summary) before it
   * counts as hung and is stopped and failed. Undefined → the larger of 2 min and a quarter of the
   * planned duration.
   */
  overrunMs?: number | undefined;
};

/** The moment after which a still-running k6 is hung, in ms after it was started; undefined without a duration. */
export function hangDeadlineMs(params: ScenarioParams, overrunMs: number | undefined): number | undefined {
  const planned = parseDuration(params.duration);
  if (planned === undefined) return undefined;
  return planned + (overrunMs ?? Math.max(120_000, planned / 4));
}

export type RunContext = {
  run: QueuedRun;
  scenario: ScenarioDefinition;
  params: ScenarioParams;
  resolveK6: () => string;
  otlpEndpoint: string | undefined;
  histograms: HistogramLayout | undefined;
  otlpHeaders: Record<string, string> | undefined;
  timings: RunTimings;
  current: () => Run;
  transition: (next: Run) => void;
  onStatus: (live: LiveStatus) => void;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  warn: (message: string, err?: unknown) => void;
};

/** `stop(cause)`: the run ends as the cause says (default: aborted, stopped by user). */
export type RunHandle = { stop(cause?: StopCause): void; done: Promise<void> };

export function executeRun(ctx: RunContext): RunHandle {
  const { run, timings } = ctx;
  let stopCause: StopCause | null = null;
  let proc: K6Process | undefined;
  let rest: ReturnType<typeof createK6RestClient> | undefined;
  let watching = true;
  let exited = false;
  /** Set when k6 ran past its planned end and was stopped for it: the run then ends as failed. */
  let hungAfterMs: number | undefined;
  const timers: NodeJS.Timeout[] = [];

  const end = (state: TerminalRunState, reason: string, result?: RunResult): void => {
    const cur = ctx.current();
    const common = {
      ...run,
      endedAt: Date.now(),
      ...(cur.state === 'queued' ? {} : { startedAt: cur.startedAt }),
      ...(cur.state !== 'queued' && cur.live ? { live: cur.live } : {}),
    };
    ctx.transition(endedRun(common, state, reason, result));
  };

  const watch = async (): Promise<void> => {
    let previous: LiveStatus | undefined;
    while (watching && rest) {
      try {
        const [status, metrics] = await Promise.all([rest.getStatus(), rest.getMetrics()]);
        const cur = ctx.current();
        if (!watching) break;
        if (cur.state === 'starting' && status.running) ctx.transition({ ...cur, state: 'running' });
        if (status.running) {
          previous = liveStatusFrom(status, metrics, Date.now(), previous);
          ctx.onStatus(previous);
        }
      } catch {
        // API not up yet (k6 still initialising) or already gone (k6 exiting): try again next tick.
      }
      await sleep(
        ctx.current().state === 'starting' ? Math.min(250, timings.pollIntervalMs) : timings.pollIntervalMs,
      );
    }
  };

  const escalate = (): void => {
    timers.push(
      setTimeout(() => {
        ctx.warn(`run ${run.id}: k6 did not stop within ${timings.stopTimeoutMs} ms, sending SIGTERM`);
        proc?.signal('SIGTERM');
        timers.push(
          setTimeout(() => {
            ctx.warn(
              `run ${run.id}: k6 still alive ${timings.killTimeoutMs} ms after SIGTERM, sending SIGKILL`,
            );
            proc?.signal('SIGKILL');
          }, timings.killTimeoutMs),
        );
      }, timings.stopTimeoutMs),
    );
  };

  const requestStop = (): void => {
    if (!proc || !rest || exited) return;
    // Before the REST API is up (k6 initialising) a signal is the only way; k6 then exits 105.
    rest.stop().catch(() => proc?.signal('SIGTERM'));
    escalate();
  };

  const main = async (): Promise<void> => {
    await mkdir(run.runDir, { recursive: true });
    const k6Path = ctx.resolveK6();
    const apiAddress = `127.0.0.1:${await findFreePort()}`;
    if (stopCause) return end(stopCause.state, stopCause.reason);
    ctx.transition({ ...run, state: 'starting', startedAt: Date.now(), apiAddress });
    const { args, env } = buildK6Command({
      script: ctx.scenario.script,
      runId: run.id,
      apiAddress,
      params: ctx.params,
      summaryPath: run.summaryPath,
      ...(ctx.otlpEndpoint ? { otlpEndpoint: ctx.otlpEndpoint } : {}),
      ...(ctx.histograms ? { histograms: ctx.histograms } : {}),
      ...(ctx.otlpHeaders ? { otlpHeaders: ctx.otlpHeaders } : {}),
    });
    proc = spawnK6({ k6Path, args, env, cwd: run.runDir, logPath: run.logPath, onLine: ctx.onLine });
    rest = createK6RestClient(apiAddress);
    // A stop asked while the start was announced (listeners of the "starting" transition run before
    // k6 exists) found nothing to stop: stop it now.
    if (stopCause) requestStop();
    const deadline = hangDeadlineMs(ctx.params, timings.overrunMs);
    if (deadline !== undefined)
      timers.push(
        setTimeout(() => {
          if (exited || stopCause) return;
          hungAfterMs = deadline;
          ctx.warn(
            `run ${run.id}: k6 still running ${deadline} ms after its start (planned end passed): stopping it`,
          );
          requestStop();
        }, deadline),
      );
    void watch();
    const exit = await proc.exited;
    exited = true;
    watching = false;
    for (const t of timers) clearTimeout(t);
    await finish(exit);
  };

  const finish = async (exit: K6Exit): Promise<void> => {
    if (exit.error) return end('failed', `could not run k6: ${exit.error.message}`);
    let summary: K6Summary | undefined;
    try {
      summary = await readSummaryFile(run.summaryPath);
    } catch (err) {
      ctx.warn(`run ${run.id}: unreadable summary`, err);
    }
    const result = resultFromSummary(summary, exit);
    // Whatever k6 exported before it was stopped stays in the store: the run is failed, not erased.
    if (hungAfterMs !== undefined)
      return end(
        'failed',
        `k6 hung: still running ${Math.round(hungAfterMs / 1000)} s after it started, past its planned duration; stopped (exit ${exit.code ?? exit.signal})`,
        result,
      );
    const outcome = outcomeOfExit(exit.code, exit.signal, stopCause);
    end(outcome.state, outcome.reason ?? '', result);
  };

  const done = main().catch((err: unknown) => {
    watching = false;
    for (const t of timers) clearTimeout(t);
    proc?.signal('SIGKILL');
    const cur = ctx.current();
    if (isTerminal(cur.state)) {
      ctx.warn(`run ${run.id}: error after the run ended`, err);
      return;
    }
    end('failed', err instanceof Error ? err.message : String(err));
  });

  return {
    stop(cause = STOPPED_BY_USER) {
      if (stopCause || exited) return;
      stopCause = cause;
      const cur = ctx.current();
      if (cur.state === 'starting' || cur.state === 'running') {
        ctx.transition({ ...cur, state: 'stopping', stopRequestedAt: Date.now() });
      }
      requestStop();
    },
    done,
  };
}

type EndedCommon = Omit<EndedRun, 'state' | 'result' | 'reason'>;

function endedRun(
  common: EndedCommon,
  state: TerminalRunState,
  reason: string,
  result?: RunResult,
): EndedRun {
  switch (state) {
    case 'finished':
      // outcomeOfExit only says finished for exits 0 and 99, which always come with a result.
      return { ...common, state, result: result ?? resultFromSummary(undefined, { code: null }) };
    case 'aborted':
    case 'failed':
    case 'lost':
      return { ...common, state, reason, ...(result ? { result } : {}) };
    default:
      return assertNever(state);
  }
}
