// One bench run: the repo's scenario script on real k6 processes (one, or one per execution segment)
// exporting OTLP to the bench's collector with the given histogram layout, plus `--out csv` so every
// http_req_duration sample is kept — the exact reference the store's figures are held against — and
// streamed into cp_run_samples while k6 runs, as the launcher does (run-samples.ts).
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { executionSegments } from '../../load-tests/src/distributed.ts';
import { findFreePort } from '../../load-tests/src/free-port.ts';
import { createK6CsvReader, type K6CsvSample } from '../../load-tests/src/k6-csv.ts';
import { buildK6Command, type HistogramLayout, spawnK6 } from '../../load-tests/src/k6-process.ts';
import { newRunId } from '../../load-tests/src/launcher.ts';
import { ingestRunSamples, type SampleIngestReport } from '../../load-tests/src/run-samples.ts';
import type { StoreClient } from '../../load-tests/src/run-store.ts';
import { scenarioScript } from '../../load-tests/src/scenario-script.ts';
import { parseScenarioParams } from '../../load-tests/src/scenarios.ts';
import { type K6Summary, readSummaryFile } from '../../load-tests/src/summary.ts';

export type BenchRunInput = {
  scenario: 'smoke' | 'load';
  params: Record<string, unknown>;
  segments: number;
  histograms: HistogramLayout;
  k6Path: string;
  otlpEndpoint: string;
  /** Receives the samples as the launcher sends them. */
  sampleStore: StoreClient;
  /** false: k6 writes no samples (the cost reference). Default true. */
  samples?: boolean;
  target: string;
  dir: string;
  /** Called once the processes run (chaos switched mid-run). */
  during?: () => Promise<void>;
};

/** One k6 process: its samples and its own summary (a distributed run's cannot be merged). */
export type BenchProcess = {
  samples: K6CsvSample[];
  summary: K6Summary | undefined;
  exitCode: number | null;
  ingest: SampleIngestReport | null;
  /** CPU seconds k6 used (user + system, read from /proc every 200 ms until it exited). */
  cpuSec: number;
};

export type BenchRun = { runId: string; startedAt: number; endedAt: number; processes: BenchProcess[] };

async function readSamples(path: string): Promise<K6CsvSample[]> {
  const reader = createK6CsvReader(new Set(['http_req_duration']));
  const out: K6CsvSample[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const read = reader.read(line);
    if (read.type === 'sample') out.push(read.sample);
  }
  return out;
}

/** user + system CPU seconds of a process (/proc/<pid>/stat fields 14 and 15, in 1/100 s). */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The last CPU reading of a process before it exited. */
async function watchCpu(pid: number | undefined, exited: Promise<unknown>): Promise<number> {
  let last = 0;
  let done = false;
  void exited.then(() => (done = true));
  while (!done && pid !== undefined) {
    last = cpuSecondsOf(pid) ?? last;
    await sleep(200);
  }
  return last;
}

export async function benchRun(input: BenchRunInput): Promise<BenchRun> {
  const { scenario, params } = parseScenarioParams(input.scenario, input.params, [input.target]);
  const runId = newRunId();
  const plan = input.segments > 1 ? executionSegments(input.segments) : [undefined];
  const startedAt = Date.now();
  const withSamples = input.samples ?? true;
  const procs = await Promise.all(
    plan.map(async (segment, i) => {
      const dir = join(input.dir, runId, `p${i}`);
      await mkdir(dir, { recursive: true });
      const summaryPath = join(dir, 'summary.json');
      const csvPath = join(dir, 'samples.csv');
      const { args, env } = buildK6Command({
        script: scenarioScript(scenario),
        runId,
        apiAddress: `127.0.0.1:${await findFreePort()}`,
        params,
        summaryPath,
        otlpEndpoint: input.otlpEndpoint,
        histograms: input.histograms,
        ...(withSamples ? { samplesPath: csvPath } : {}),
        ...(segment ? { segment } : {}),
      });
      const ingest = withSamples
        ? ingestRunSamples({
            client: input.sampleStore,
            runId,
            segment: segment?.segment ?? '',
            csvPath,
            warn: (m) => console.warn(m),
          })
        : null;
      const proc = spawnK6({
        k6Path: input.k6Path,
        args,
        env,
        cwd: dir,
        logPath: join(dir, 'k6.log'),
        onLine: () => undefined,
      });
      return { proc, summaryPath, csvPath, ingest, cpu: watchCpu(proc.pid, proc.exited) };
    }),
  );
  await input.during?.();
  const exits = await Promise.all(procs.map((p) => p.proc.exited));
  const endedAt = Date.now();
  const processes = await Promise.all(
    procs.map(async (p, i) => {
      // Read before the ingest finishes: it deletes the file once the store has all of it.
      const samples = withSamples ? await readSamples(p.csvPath) : [];
      return {
        samples,
        summary: await readSummaryFile(p.summaryPath),
        exitCode: exits[i]?.code ?? null,
        ingest: (await p.ingest?.finish()) ?? null,
        cpuSec: await p.cpu,
      };
    }),
  );
  return { runId, startedAt, endedAt, processes };
}
