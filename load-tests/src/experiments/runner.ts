// Runs an experiment: reads the target's settings, checks the target takes every variant's, then for
// each slot of the interleaved order switches the target to the variant's settings (read back to be
// sure), launches an ordinary run through the launcher and waits for its end. The target is put back
// to the settings read at the start in a `finally`: after the last run, a stop (AbortSignal) or a
// failure alike. Runs of others against the same target (a shared launcher) end before a switch.
import { randomBytes } from 'node:crypto';
import type { Launcher } from '../launcher.ts';
import { type EndedRun, isTerminal } from '../run-state.ts';
import type { ExperimentDefinition } from './definition.ts';
import type { ExperimentRecorder } from './experiment-store.ts';
import { interleavedOrder, type RunSlot } from './interleave.ts';
import type { Experiment, ExperimentEvent, ExperimentRun, RunScores } from './model.ts';
import { runKpis } from './run-kpis.ts';
import type { Settings } from './settings.ts';
import { summariseExperiment } from './summary.ts';
import { preflightVariants, switchToVariant } from './switch-settings.ts';
import { cacheHitRate, readCacheCounters, type TargetSettingsClient } from './target-settings.ts';

export type ExperimentDeps = {
  launcher: Launcher;
  /** The target's base URL (on the launcher's allowlist). */
  target: string;
  /** The client of the definition's settingsResource on that target. */
  settings: TargetSettingsClient;
  /** Stops the experiment: the current run is stopped, no other starts, the target is reset. */
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  launchedBy?: string;
  recorder?: ExperimentRecorder;
  /** Scores of a run's window (the dashboard passes its scorer); absent → no scores. */
  scoreRun?: (run: EndedRun) => Promise<RunScores | null>;
  logger?: Pick<Console, 'error'>;
};

export function newExperimentId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `exp_${stamp}_${randomBytes(3).toString('hex')}`;
}

const message = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0] ?? '';

export async function runExperiment(def: ExperimentDefinition, deps: ExperimentDeps): Promise<Experiment> {
  const { launcher, settings, signal } = deps;
  const logger = deps.logger ?? console;
  const id = newExperimentId();
  const emit = (event: ExperimentEvent) => {
    try {
      deps.onEvent?.(event);
    } catch (error) {
      logger.error('experiment: event listener threw', error);
    }
  };
  // Nothing is changed before this read succeeds: a target that cannot be read is not touched.
  const originalSettings = await settings.read();
  const order = interleavedOrder(
    def.variants.map((v) => v.name),
    def.repeats,
    def.seed,
  );
  const variants = new Map(def.variants.map((v) => [v.name, v.settings as Settings]));
  const experiment: Experiment = {
    id,
    definition: def,
    target: deps.target,
    launchedBy: deps.launchedBy ?? `experiment:${id}`,
    state: 'running',
    reason: null,
    order,
    originalSettings,
    runs: [],
    warmupRunIds: [],
    result: null,
    createdAt: Date.now(),
    endedAt: null,
  };
  const record = async () => {
    try {
      await deps.recorder?.record(experiment);
    } catch (error) {
      logger.error(`experiment ${id}: could not record it`, error);
    }
  };
  await record();
  emit({ type: 'started', experimentId: id, order, originalSettings });

  /** Runs of others against the target end before its settings change (a shared launcher). */
  const othersEnded = async () => {
    for (;;) {
      const busy = launcher.list().filter((r) => r.target === deps.target && !isTerminal(r.state));
      if (busy.length === 0 || signal?.aborted) return;
      emit({ type: 'waiting', experimentId: id, runIds: busy.map((r) => r.id) });
      let onAbort = () => {};
      const aborted = new Promise<void>((resolve) => {
        onAbort = () => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      await Promise.race([Promise.all(busy.map((r) => launcher.whenEnded(r.id))), aborted]);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const runSlot = async (slot: RunSlot, warmup = false): Promise<EndedRun | undefined> => {
    await othersEnded();
    if (signal?.aborted) return undefined;
    const readBack = await switchToVariant(settings, originalSettings, {
      name: slot.variant,
      settings: variants.get(slot.variant) ?? {},
    });
    emit({
      type: 'switched',
      experimentId: id,
      slot,
      total: order.length,
      settings: readBack,
      ...(warmup ? { warmup } : {}),
    });
    const cacheBefore = await readCacheCounters(deps.target);
    const run = launcher.launch({
      scenario: def.scenario,
      params: { ...def.params, target: deps.target },
      launchedBy: experiment.launchedBy,
    });
    const report = (state: EndedRun['state'] | typeof run.state) =>
      emit({
        type: 'run',
        experimentId: id,
        slot,
        total: order.length,
        runId: run.id,
        state,
        ...(warmup ? { warmup } : {}),
      });
    report(run.state);
    const unsubscribe = launcher.subscribe((e) => {
      if (e.type === 'state' && e.run.id === run.id) report(e.run.state);
    });
    const stop = () => void launcher.stop(run.id).catch(() => undefined);
    signal?.addEventListener('abort', stop);
    if (signal?.aborted) stop();
    let ended: EndedRun;
    try {
      ended = await launcher.whenEnded(run.id);
    } finally {
      signal?.removeEventListener('abort', stop);
      unsubscribe();
    }
    if (warmup) {
      experiment.warmupRunIds.push(ended.id);
      await record();
      return ended;
    }
    const cacheAfter = await readCacheCounters(deps.target);
    const hitRate = cacheBefore && cacheAfter ? cacheHitRate(cacheBefore, cacheAfter) : null;
    let scores: RunScores | null = null;
    if (deps.scoreRun && ended.state === 'finished')
      scores = await deps.scoreRun(ended).catch((error: unknown) => {
        logger.error(`experiment ${id}: could not score run ${ended.id}`, error);
        return null;
      });
    const entry: ExperimentRun = {
      ...slot,
      runId: ended.id,
      state: ended.state,
      settings: readBack,
      kpis: runKpis(ended.result, hitRate),
      scores,
      startedAt: ended.startedAt ?? null,
      endedAt: ended.endedAt,
    };
    experiment.runs.push(entry);
    experiment.result = summariseExperiment(def, experiment.runs);
    await record();
    return ended;
  };

  try {
    // Every variant's settings once, before any run, so one the target refuses fails the
    // experiment before it has spent a run.
    await othersEnded();
    await preflightVariants(def, settings, originalSettings, signal);
    const first = order[0];
    for (let i = 0; first && i < def.warmupRuns && !signal?.aborted; i++) {
      const ended = await runSlot(first, true);
      if (ended && ended.state !== 'finished' && !signal?.aborted)
        throw new Error(`warm-up run ${ended.id} ${ended.state}: ${'reason' in ended ? ended.reason : ''}`);
    }
    for (const slot of order) {
      if (signal?.aborted) break;
      const ended = await runSlot(slot);
      if (!ended || signal?.aborted) break;
      if (ended.state === 'aborted') {
        experiment.state = 'stopped';
        experiment.reason = `run ${ended.id} (${slot.variant}) was stopped: ${ended.reason}`;
        break;
      }
      if (ended.state === 'failed' || ended.state === 'lost') {
        experiment.state = 'failed';
        experiment.reason = `run ${ended.id} (${slot.variant}) ${ended.state}: ${ended.reason}`;
        break;
      }
    }
    if (signal?.aborted && experiment.state === 'running') {
      experiment.state = 'stopped';
      experiment.reason = `stopped after ${experiment.runs.length} of ${order.length} runs`;
    }
  } catch (error) {
    experiment.state = 'failed';
    experiment.reason = message(error);
  } finally {
    // No signal here: a stopped experiment must still put the target back.
    try {
      const reset = await settings.write(originalSettings);
      emit({ type: 'reset', experimentId: id, settings: reset });
    } catch (error) {
      const text = `could not put the target's ${settings.resource} back: ${message(error)}`;
      experiment.state = 'failed';
      experiment.reason = experiment.reason ? `${experiment.reason}; ${text}` : text;
      emit({ type: 'reset-failed', experimentId: id, error: text });
    }
  }
  if (experiment.state === 'running') experiment.state = 'finished';
  experiment.result = summariseExperiment(def, experiment.runs);
  experiment.endedAt = Date.now();
  await record();
  emit({ type: 'ended', experiment });
  return experiment;
}
