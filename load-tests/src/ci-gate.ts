// The CI gate (`run <scenario> --wait --baseline <id | latest-baseline> --fail-on …`): which checks
// fail the build, which run is the baseline, and the verdict on a finished run — its thresholds and
// the server's own comparison with the baseline (reports.compare, the one the UI shows).
import { CLI_EXIT, HELP } from './cli-exit.ts';
import type { Change, RunComparison } from './results/compare.ts';
import { ANSWERS, type ServerRun } from './server-answers.ts';
import { type ServerClient, ServerError } from './server-client.ts';

export const GATE_CHECKS = ['thresholds', 'regression'] as const;
export type GateCheck = (typeof GATE_CHECKS)[number];

/** `--baseline` naming the scenario's marked baseline instead of a run id. */
export const LATEST_BASELINE = 'latest-baseline';

export interface GateOptions {
  failOn: ReadonlySet<GateCheck>;
  /** A run id, LATEST_BASELINE, or undefined (no comparison). */
  baseline: string | undefined;
  junit: string | undefined;
  summary: string | undefined;
}

/** The gate's flags on `run` (with --wait, the default; never with --no-wait). */
export const GATE_OPTIONS = {
  wait: { type: 'boolean' },
  baseline: { type: 'string' },
  'fail-on': { type: 'string' },
  junit: { type: 'string' },
  summary: { type: 'string' },
} as const;

const usage = (message: string) => new ServerError(`run: ${message} ${HELP}`, CLI_EXIT.usage);

/**
 * The gate asked for by `run`'s flags, or undefined for a plain run. --fail-on defaults to
 * thresholds, plus regression when there is a baseline.
 */
export function gateOptions(values: {
  wait?: boolean | undefined;
  'no-wait'?: boolean | undefined;
  baseline?: string | undefined;
  'fail-on'?: string | undefined;
  junit?: string | undefined;
  summary?: string | undefined;
}): GateOptions | undefined {
  if (values.wait && values['no-wait']) throw usage('--wait and --no-wait contradict each other');
  const { baseline, junit, summary } = values;
  const failOnText = values['fail-on'];
  if ([baseline, failOnText, junit, summary].every((v) => v === undefined)) return undefined;
  if (values['no-wait'])
    throw usage('--baseline, --fail-on, --junit and --summary judge the ended run: leave out --no-wait');
  if (baseline !== undefined && baseline !== LATEST_BASELINE && !/^[\w.-]{1,100}$/.test(baseline))
    throw usage(`invalid --baseline '${baseline}': a run id or ${LATEST_BASELINE}`);
  for (const [flag, file] of [
    ['--junit', junit],
    ['--summary', summary],
  ] as const)
    if (file !== undefined && file.trim() === '') throw usage(`${flag} needs a file name`);
  const failOn =
    failOnText === undefined
      ? new Set<GateCheck>(baseline === undefined ? ['thresholds'] : GATE_CHECKS)
      : parseFailOn(failOnText);
  if (failOn.has('regression') && baseline === undefined)
    throw usage(`--fail-on regression needs --baseline <runId | ${LATEST_BASELINE}>`);
  return { failOn, baseline, junit, summary };
}

/** `--fail-on thresholds,regression`; a usage error names the unknown check. */
export function parseFailOn(text: string): Set<GateCheck> {
  const checks = new Set<GateCheck>();
  for (const part of text.split(',').map((s) => s.trim())) {
    if (!(GATE_CHECKS as readonly string[]).includes(part))
      throw usage(`invalid --fail-on '${part}': use thresholds, regression or both, comma-separated`);
    checks.add(part as GateCheck);
  }
  return checks;
}

/**
 * The baseline's run id before anything is launched: a named run must exist (else 4); the
 * scenario's marked baseline must be set when regressions fail the gate (else 2), and is otherwise
 * skipped (undefined) with a note.
 */
export async function resolveBaseline(
  api: ServerClient,
  scenario: string,
  gate: GateOptions,
): Promise<string | undefined> {
  if (gate.baseline === undefined) return undefined;
  if (gate.baseline !== LATEST_BASELINE) {
    await api.query('runs.get', ANSWERS.run, { id: gate.baseline });
    return gate.baseline;
  }
  const marked = (await api.query('reports.trend', ANSWERS.trend, { scenario })).find((p) => p.isBaseline);
  if (marked) return marked.runId;
  if (gate.failOn.has('regression'))
    throw new ServerError(
      `no baseline is marked for ${scenario}: mark one with \`cli.ts baseline <runId>\`, name a run with --baseline <runId>, or leave regression out of --fail-on`,
      CLI_EXIT.usage,
    );
  console.error(`note: no baseline is marked for ${scenario}; the run is not compared`);
  return undefined;
}

export interface GateVerdict {
  run: ServerRun;
  baselineId: string | undefined;
  comparison: RunComparison | undefined;
  failOn: ReadonlySet<GateCheck>;
  /** One line per failed selected check; empty when the gate passes. */
  failures: string[];
}

export const changeName = (ch: Change) => `${ch.endpoint} ${ch.metric}`;

export function changeMessage(ch: Change): string {
  const d = ch.delta;
  const pct = d.deltaPct === null ? '' : ` (${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %)`;
  return `${changeName(ch)}: ${d.base ?? '-'} → ${d.candidate ?? '-'}${pct}, ${ch.noiseMultiple.toFixed(1)}× the noise band, ${ch.worse ? 'worse' : 'better'}`;
}

/** The verdict on an ended run: its state, its thresholds and (with a baseline) the regressions. */
export async function judgeRun(
  api: ServerClient,
  run: ServerRun,
  baselineId: string | undefined,
  failOn: ReadonlySet<GateCheck>,
): Promise<GateVerdict> {
  const failures: string[] = [];
  if (run.state !== 'finished')
    failures.push(`run ${run.id} ${run.state}${run.reason ? ` (${run.reason})` : ''}`);
  if (failOn.has('thresholds'))
    for (const t of run.result?.thresholds ?? [])
      if (!t.ok) failures.push(`threshold failed: ${t.metric} ${t.expr}`);
  let comparison: RunComparison | undefined;
  if (baselineId !== undefined && run.state === 'finished') {
    ({ comparison } = await api.query('reports.compare', ANSWERS.comparison, {
      base: baselineId,
      candidate: run.id,
    }));
    if (failOn.has('regression'))
      for (const ch of comparison.changes) if (ch.worse) failures.push(`regression: ${changeMessage(ch)}`);
  }
  return { run, baselineId, comparison, failOn, failures };
}
