// The completion notice of a scheduled run: its verdict as the CI gate gives it (the run ended
// finished, its thresholds passed, nothing worse than the scenario's baseline beyond the noise band
// — the Compare page's own comparison), posted to the schedule's webhook or Slack URL. A failed
// delivery is returned for the record, never thrown.
import {
  type Change,
  comparableRuns,
  compareResults,
  type EndedRun,
  noiseBand,
  queryRunResults,
  readBaseline,
  readRun,
  readScenarioRuns,
  type StoreClient,
} from 'load-tests';
import type { NotifyFormat } from '../../lib/schedule-view.ts';

export interface RunVerdict {
  verdict: 'passed' | 'failed';
  /** One line per failed check (the CI gate's wording). */
  failures: string[];
  baselineRunId: string | null;
  regressions: {
    endpoint: string;
    metric: string;
    base: number | null;
    candidate: number | null;
    deltaPct: number | null;
  }[];
}

const changeLine = (ch: Change) => {
  const d = ch.delta;
  const pct = d.deltaPct === null ? '' : ` (${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %)`;
  return `${ch.endpoint} ${ch.metric}: ${d.base ?? '-'} → ${d.candidate ?? '-'}${pct}, ${ch.noiseMultiple.toFixed(1)}× the noise band`;
};

/** The gate's verdict on an ended run: state, thresholds, regressions against the marked baseline. */
export async function judgeScheduledRun(
  client: StoreClient,
  run: EndedRun,
  serverService: string,
): Promise<RunVerdict> {
  const failures: string[] = [];
  if (run.state !== 'finished')
    failures.push(`run ${run.id} ${run.state}${'reason' in run ? ` (${run.reason})` : ''}`);
  const result = 'result' in run ? run.result : undefined;
  for (const t of result?.thresholds ?? [])
    if (!t.ok) failures.push(`threshold failed: ${t.metric} ${t.expr}`);
  const baseline = await readBaseline(client, run.scenario);
  const regressions: RunVerdict['regressions'] = [];
  if (baseline && baseline.runId !== run.id && run.state === 'finished') {
    const opts = { serverService };
    const [base, candidate, stored] = await Promise.all([
      queryRunResults(client, baseline.runId, opts),
      queryRunResults(client, run.id, opts),
      readRun(client, run.id),
    ]);
    const history = comparableRuns(await readScenarioRuns(client, run.scenario), stored);
    for (const ch of compareResults(base, candidate, noiseBand(history)).changes)
      if (ch.worse) {
        failures.push(`regression: ${changeLine(ch)}`);
        regressions.push({ endpoint: ch.endpoint, metric: ch.metric, ...ch.delta });
      }
  }
  return {
    verdict: failures.length === 0 ? 'passed' : 'failed',
    failures,
    baselineRunId: baseline?.runId ?? null,
    regressions,
  };
}

export interface NoticeInput {
  schedule: { id: string; name: string; cron: string; timeZone: string };
  run: EndedRun;
  verdict: RunVerdict;
  runUrl: string;
}

/** The body posted: Slack's incoming-webhook `{text}`, or the plain webhook's JSON. */
export function noticeBody(format: NotifyFormat, n: NoticeInput): unknown {
  if (format === 'slack') {
    const head = `${n.verdict.verdict === 'passed' ? '✅' : '❌'} Scheduled run "${n.schedule.name}" (${n.run.scenario}) ${n.run.state}: gate ${n.verdict.verdict === 'passed' ? 'passed' : 'FAILED'}`;
    const base = n.verdict.baselineRunId ? `baseline ${n.verdict.baselineRunId}` : 'no baseline marked';
    return {
      text: [head, ...n.verdict.failures.map((f) => `• ${f}`), `${base} — <${n.runUrl}|${n.run.id}>`].join(
        '\n',
      ),
    };
  }
  return {
    schedule: n.schedule,
    runId: n.run.id,
    scenario: n.run.scenario,
    state: n.run.state,
    verdict: n.verdict.verdict,
    failures: n.verdict.failures,
    baselineRunId: n.verdict.baselineRunId,
    regressions: n.verdict.regressions,
    url: n.runUrl,
  };
}

/** POSTs the notice; 'sent', or why it was not delivered. */
export async function deliverNotice(url: string, body: unknown, timeoutMs = 10_000): Promise<string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    await res.body?.cancel().catch(() => undefined);
    return res.ok ? 'sent' : `not delivered: HTTP ${res.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return `not delivered: ${cause ?? (error as Error).message}`;
  }
}
