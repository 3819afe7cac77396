// Each scenario's baseline run, in cp_run_baselines (newest MarkedAt wins; RunId '' = cleared).
import { z } from 'zod';
import { hasErrorBrand } from '../error-brand.ts';
import { isTerminal } from '../run-state.ts';
import { readRun, type StoreClient } from '../run-store.ts';

export const BASELINES_TABLE = 'cp_run_baselines';

export type Baseline = { scenario: string; runId: string; markedBy: string; markedAt: number };

const markSchema = z.object({
  runId: z.string().regex(/^[\w.-]{1,100}$/, 'a run id such as run_20261123T010000Z_abc123'),
  markedBy: z.string().max(200).default(''),
});
const clearSchema = z.object({
  scenario: z.string().min(1).max(100),
  markedBy: z.string().max(200).default(''),
});

const BASELINE_ERROR: unique symbol = Symbol.for('load-tests.BaselineError');

export class BaselineError extends Error {
  readonly [BASELINE_ERROR] = true;
  override name = 'BaselineError';
}

/** A BaselineError from any copy of this module (see error-brand.ts). */
export const isBaselineError = (error: unknown): error is BaselineError =>
  hasErrorBrand(error, BASELINE_ERROR);

// Marks in one millisecond must still order (ReplacingMergeTree keeps the newest version).
let lastMark = 0;
const markTime = () => {
  lastMark = Math.max(Date.now(), lastMark + 1);
  return lastMark;
};

/** Makes an ended run its scenario's baseline. Throws on an unknown or still active run. */
export async function markBaseline(
  client: StoreClient,
  input: { runId: string; markedBy?: string },
): Promise<Baseline> {
  const { runId, markedBy } = markSchema.parse(input);
  const run = await readRun(client, runId);
  if (!isTerminal(run.state))
    throw new BaselineError(`run ${runId} is ${run.state}: only an ended run can be a baseline`);
  const baseline = { scenario: run.scenario, runId, markedBy, markedAt: markTime() };
  await client.insert({
    table: BASELINES_TABLE,
    values: [{ Scenario: baseline.scenario, RunId: runId, MarkedBy: markedBy, MarkedAt: baseline.markedAt }],
    format: 'JSONEachRow',
  });
  return baseline;
}

export async function clearBaseline(
  client: StoreClient,
  input: { scenario: string; markedBy?: string },
): Promise<void> {
  const { scenario, markedBy } = clearSchema.parse(input);
  await client.insert({
    table: BASELINES_TABLE,
    values: [{ Scenario: scenario, RunId: '', MarkedBy: markedBy, MarkedAt: markTime() }],
    format: 'JSONEachRow',
  });
}

/** Every scenario's current baseline (cleared ones left out). */
export async function readBaselines(client: StoreClient): Promise<Baseline[]> {
  const result = await client.query({
    query: `SELECT Scenario, argMax(RunId, MarkedAt) AS runId, argMax(MarkedBy, MarkedAt) AS markedBy,
        toUnixTimestamp64Milli(max(MarkedAt)) AS markedAt
      FROM ${BASELINES_TABLE} GROUP BY Scenario HAVING runId != '' ORDER BY Scenario`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ Scenario: string; runId: string; markedBy: string; markedAt: string }>();
  return rows.map((r) => ({
    scenario: r.Scenario,
    runId: r.runId,
    markedBy: r.markedBy,
    markedAt: Number(r.markedAt),
  }));
}

export async function readBaseline(client: StoreClient, scenario: string): Promise<Baseline | null> {
  return (await readBaselines(client)).find((b) => b.scenario === scenario) ?? null;
}
