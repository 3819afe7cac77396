// Distributed run start-up benchmark: how far apart the resume calls of a run's k6 segments land
// (runDistributed's resumeSpreadMs, N = 2 and 4), against a reference measured in the same run:
// one k6 REST round trip (GET /v1/status) and one resume call on a single paused k6. Resumes sent
// together land well within one round trip of each other; resumes sent one after another land a
// round trip or more apart per segment. Moved here from scenarios.int.test.ts (CONVENTIONS.md:
// speed is measured in benchmarks). Prints a table and writes bench/results/segment-resume-<time>.json.
// Run: node bench/load-tests/segment-resume.ts [--repeats 5]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTargetApp } from 'target-app';
import { findFreePort } from '../../load-tests/src/free-port.ts';
import { resolveK6Path, runDistributed, scenarioScript, scenarios } from '../../load-tests/src/index.ts';
import { createK6RestClient } from '../../load-tests/src/k6-rest.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const REPEATS = Number(arg('repeats', '5'));
const k6Path = resolveK6Path();
const work = mkdtempSync(join(tmpdir(), 'bench-resume-'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const target = await startTargetApp({
  port: 0,
  host: '127.0.0.1',
  telemetryEnabled: false,
  carCount: 200,
  logLevel: 'warn',
  adminToken: 'bench-admin-token-123',
});

/** Reference: one paused k6 — REST round trips while paused, then the one resume call. */
async function singleK6(): Promise<{ statusMs: number[]; resumeMs: number }> {
  const port = await findFreePort();
  const address = `127.0.0.1:${port}`;
  const args = ['run', '--quiet', '--no-usage-report', '--paused', '--address', address];
  for (const [k, v] of Object.entries({ BASE_URL: target.url, VUS: '1', DURATION: '1s' }))
    args.push('-e', `${k}=${v}`);
  const child = spawn(k6Path, [...args, scenarioScript(scenarios.smoke)], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('close', resolve));
  const rest = createK6RestClient(address);
  for (let i = 0; ; i++) {
    try {
      await rest.getStatus();
      break;
    } catch (error) {
      if (i > 300) throw error;
      await sleep(100);
    }
  }
  const statusMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await rest.getStatus();
    statusMs.push(performance.now() - t0);
  }
  const t0 = performance.now();
  await rest.resume();
  const resumeMs = performance.now() - t0;
  await exited;
  return { statusMs, resumeMs };
}

async function distributed(segments: number): Promise<number> {
  const run = runDistributed({
    scenario: 'load',
    params: { target: target.url, scale: 0.001, duration: '1s' },
    targets: [target.url],
    segments,
    runsDir: join(work, 'runs'),
    launchedBy: 'bench',
  });
  const result = await run.done;
  if (result.state !== 'finished' || result.resumeSpreadMs === undefined)
    throw new Error(`distributed run ${result.state}: ${result.reason ?? ''}`);
  return result.resumeSpreadMs;
}

// Interleaved, so the reference and the cases see the same machine load.
const statusMs: number[] = [];
const resumeMs: number[] = [];
const spreads: Record<number, number[]> = { 2: [], 4: [] };
for (let r = 0; r < REPEATS; r++) {
  const single = await singleK6();
  statusMs.push(...single.statusMs);
  resumeMs.push(single.resumeMs);
  for (const n of [2, 4]) spreads[n]!.push(await distributed(n));
  console.error(`repeat ${r + 1}/${REPEATS}`, {
    resumeMs: single.resumeMs,
    2: spreads[2]!.at(-1),
    4: spreads[4]!.at(-1),
  });
}
await target.close();

const refRoundTrip = median(statusMs);
const rows = [2, 4].map((segments) => {
  const spread = median(spreads[segments]!);
  return {
    segments,
    medianSpreadMs: +spread.toFixed(2),
    maxSpreadMs: +Math.max(...spreads[segments]!).toFixed(2),
    spreadPerRoundTrip: +(spread / refRoundTrip).toFixed(2),
    spreadPerResume: +(spread / median(resumeMs)).toFixed(2),
  };
});
const out = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg1: +loadavg()[0]!.toFixed(2) },
  repeats: REPEATS,
  reference: { restRoundTripMs: +refRoundTrip.toFixed(2), resumeCallMs: +median(resumeMs).toFixed(2) },
  cases: rows,
};

console.log(
  `\nreference (one paused k6): REST round trip ${out.reference.restRoundTripMs} ms, resume call ${out.reference.resumeCallMs} ms`,
);
console.log('  segments   median spread ms   max spread ms   spread / round trip   spread / resume call');
for (const r of rows)
  console.log(
    `  ${String(r.segments).padEnd(10)} ${String(r.medianSpreadMs).padEnd(18)} ${String(r.maxSpreadMs).padEnd(15)} ${String(r.spreadPerRoundTrip).padEnd(21)} ${r.spreadPerResume}`,
  );
const dir = join(import.meta.dirname, '..', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `segment-resume-${out.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${file}`);
