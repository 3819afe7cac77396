// The whole loop for results tests: a fresh embedded store (chDB) with the real collector, the real
// target app exporting to it, and a launcher whose runs export over OTLP and are recorded in cp_runs.
// One per test file: chDB allows one data directory per process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import type { TargetApp } from 'target-app';
import type { HistogramLayout } from '../../src/k6-process.ts';
import { createLauncher, type Launcher } from '../../src/launcher.ts';
import { createClickHouseRunRecorder } from '../../src/recorder.ts';
import type { EndedRun } from '../../src/run-state.ts';
import { startTestTarget } from './test-target.ts';

export type StoreLoop = {
  dir: string;
  store: Store;
  collector: CollectorServer;
  target: TargetApp;
  /** samples: the launcher streams each run's request durations into the store (cp_run_samples). */
  newLauncher(histograms?: HistogramLayout, samples?: boolean): Launcher;
  /** Runs smoke (2 VUs unless told) to its end through a fresh launcher; returns the ended run. */
  smoke(opts?: {
    duration?: string;
    vus?: number;
    histograms?: HistogramLayout;
    samples?: boolean;
  }): Promise<EndedRun>;
  setChaos(body: Record<string, unknown>): Promise<void>;
  /** keepData leaves the data directory for a later process (the caller removes it). */
  close(opts?: { keepData?: boolean }): Promise<void>;
};

/** coalesceMs: the collector gathers light traffic in its queue for that long (as `npm start` runs it). */
export async function startStoreLoop(opts: { coalesceMs?: number } = {}): Promise<StoreLoop> {
  const dir = mkdtempSync(join(tmpdir(), 'lt-results-'));
  const store = await createStore({ dataDir: join(dir, 'chdb') });
  const collector = await startCollector({
    store,
    port: 0,
    batch: { maxDelayMs: 50, ...(opts.coalesceMs ? { coalesceMs: opts.coalesceMs } : {}) },
  });
  const testTarget = await startTestTarget({
    carCount: 2000,
    otlpEndpoint: `http://127.0.0.1:${collector.port}`,
  });
  const target = testTarget.app;
  const launchers: Launcher[] = [];
  const newLauncher = (histograms?: HistogramLayout, samples?: boolean): Launcher => {
    const launcher = createLauncher({
      otlpEndpoint: `127.0.0.1:${collector.port}`,
      targets: [target.url],
      runsDir: join(dir, 'runs'),
      recorder: createClickHouseRunRecorder(store.client),
      ...(histograms ? { histograms } : {}),
      ...(samples ? { sampleStore: store.client } : {}),
    });
    launchers.push(launcher);
    return launcher;
  };
  return {
    dir,
    store,
    collector,
    target,
    newLauncher,
    async smoke(opts = {}) {
      const launcher = newLauncher(opts.histograms, opts.samples);
      const run = launcher.launch({
        scenario: 'smoke',
        params: { vus: opts.vus ?? 2, duration: opts.duration ?? '4s', target: target.url },
        launchedBy: 'qa',
      });
      const ended = await launcher.whenEnded(run.id);
      await launcher.close(); // waits for the run's records
      return ended;
    },
    setChaos: testTarget.setChaos,
    async close(opts = {}) {
      for (const l of launchers) await l.close();
      await target.close();
      await collector.close();
      await store.close();
      if (!opts.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
