// A run's final result once k6 has exited: its summary and exit read together, then — with a
// store — the wait until the store holds the requests the summary counted (k6's last OTLP export
// is acknowledged before a coalescing collector stores it), and the exact percentiles from the
// run's request samples in place of the summary's.

import type { K6Exit } from './k6-process.ts';
import { resultWithRunPercentiles } from './results/run-percentiles.ts';
import type { RunResult } from './run-state.ts';
import type { StoreClient } from './run-store.ts';
import { type K6Summary, readSummaryFile, resultFromSummary } from './summary.ts';
import { awaitStoredRequests } from './telemetry-settled.ts';

export async function finalResult(opts: {
  runId: string;
  summaryPath: string;
  exit: K6Exit;
  /** When the run started (its telemetry's window begins there). */
  from: number;
  sampleStore: StoreClient | undefined;
  otlpEndpoint: string | undefined;
  /** Every sample of the run reached the store. */
  samplesComplete: boolean;
  warn: (message: string, err?: unknown) => void;
}): Promise<RunResult> {
  const { runId, sampleStore, warn } = opts;
  let summary: K6Summary | undefined;
  try {
    summary = await readSummaryFile(opts.summaryPath);
  } catch (err) {
    warn(`run ${runId}: unreadable summary`, err);
  }
  let result = resultFromSummary(summary, opts.exit);
  const counted = result?.stats?.httpReqs ?? 0;
  if (sampleStore && opts.otlpEndpoint && counted > 0) {
    const settled = await awaitStoredRequests(sampleStore, runId, counted, { from: opts.from });
    if (!settled.settled)
      warn(
        `run ${runId}: the store holds ${settled.stored} of the ${counted} requests k6 counted after ${settled.waitedMs} ms; the run ends with what is there`,
      );
  }
  if (sampleStore && opts.samplesComplete)
    result = await resultWithRunPercentiles(sampleStore, runId, result, opts.from, warn);
  return result;
}
