// An experiment run's 0–100 scores: the dashboard's scores over the run's own window — the same
// scoreWindow the run report's scores.forRun computes, so an experiment's figure is the report's.
import type { Store } from 'collector';
import type { RunScores } from 'load-tests';
import type { EndedRun } from 'load-tests/model';
import { directBatchReads } from '../../server/batch-reads.ts';
import { type KpiSource, scoreWindow } from '../../server/scores/measure.ts';

export function runScorer(store: Store, targetServiceName: string) {
  const source: KpiSource = { targetServiceName, reads: directBatchReads(store.client) };
  return async (run: EndedRun): Promise<RunScores | null> => {
    if (run.startedAt === undefined) return null;
    const report = await scoreWindow(source, { from: run.startedAt, to: run.endedAt });
    return {
      overall: report.overall,
      categories: Object.fromEntries(report.categories.map((c) => [c.id, c.score])),
    };
  };
}
