// An experiment's lifecycle, its runs and the events it reports while it runs — the types the
// runner, the store, the CLI and (later) the dashboard share. No Node imports.
import type { RunState } from '../run-state.ts';
import type { ExperimentDefinition } from './definition.ts';
import type { RunSlot } from './interleave.ts';
import type { RunKpis } from './run-kpis.ts';
import type { Settings } from './settings.ts';
import type { ExperimentResult } from './summary.ts';

/** running → finished (every run done) | stopped (signal, or a run stopped by hand) | failed. */
export const EXPERIMENT_STATES = ['running', 'finished', 'stopped', 'failed'] as const;
export type ExperimentState = (typeof EXPERIMENT_STATES)[number];

/** The 0–100 scores of one run's window (the dashboard's scorer; not computed in load-tests). */
export type RunScores = { overall: number | null; categories: Record<string, number | null> };

/** One run of the experiment: where it sat in the order, what the target was set to, what it measured. */
export type ExperimentRun = RunSlot & {
  runId: string;
  state: RunState;
  /** The resource's settings read back from the target after switching, before the run started. */
  settings: Settings;
  kpis: RunKpis;
  scores: RunScores | null;
  startedAt: number | null;
  endedAt: number | null;
};

export type Experiment = {
  id: string;
  definition: ExperimentDefinition;
  target: string;
  launchedBy: string;
  state: ExperimentState;
  /** Why it stopped or failed. */
  reason: string | null;
  order: RunSlot[];
  /** The resource's settings read when it began: what the target is put back to. */
  originalSettings: Settings;
  runs: ExperimentRun[];
  /** Warm-up runs (ordinary runs, linked but not counted). */
  warmupRunIds: string[];
  result: ExperimentResult | null;
  createdAt: number;
  endedAt: number | null;
};

/** What the runner reports as it goes (progress lines, a live page). */
export type ExperimentEvent =
  | { type: 'started'; experimentId: string; order: RunSlot[]; originalSettings: Settings }
  | { type: 'waiting'; experimentId: string; runIds: string[] }
  | {
      type: 'switched';
      experimentId: string;
      slot: RunSlot;
      total: number;
      settings: Settings;
      warmup?: boolean;
    }
  | {
      type: 'run';
      experimentId: string;
      slot: RunSlot;
      total: number;
      runId: string;
      state: RunState;
      /** A warm-up run: not counted in the results. */
      warmup?: boolean;
    }
  | { type: 'reset'; experimentId: string; settings: Settings }
  | { type: 'reset-failed'; experimentId: string; error: string }
  | { type: 'ended'; experiment: Experiment };
