// Lighthouse (the `lighthouse` npm package's CLI, run by Node 24) against a dashboard page, signed
// in through the session cookie sent as an extra header, with the machine's Chromium
// (CHROME_PATH) headless. Runs it several times and returns the median run (Lighthouse's own
// advice for noisy machines), with every run's figures and the load average beside it.
// Alone: node bench/dashboard/lighthouse.ts [--runs 5] [--hours 2] [--preset desktop]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { REPO_ROOT, startDashboard } from './dashboard-process.ts';

export type LighthousePreset = 'desktop' | 'mobile';

export interface LighthouseFigures {
  url: string;
  /** Every run's headline figures (the fields above are the median run's); load average at its start. */
  runs: LighthouseRun[];
  preset: LighthousePreset;
  performance: number | null;
  accessibility: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  /** Lighthouse's own warnings (e.g. the page did not settle); empty when clean. */
  warnings: string[];
  /** Accessibility audits that failed, by id, with their first offending elements. */
  failedAccessibility: string[];
  /** Where the page's time and bytes go (main-thread work, script boot-up, transfer size). */
  diagnostics: {
    mainThreadMs: number | null;
    bootupMs: number | null;
    totalBytes: number | null;
    /** The LCP element's HTML snippet, and the scripts costing the most main-thread time. */
    lcpElement: string | null;
    slowestScripts: { url: string; ms: number }[];
    /** The main thread's long tasks (over 50 ms) while loading: what Total Blocking Time adds up. */
    longTasks: { url: string; startMs: number; ms: number }[];
    /** What moved (Cumulative Layout Shift's parts): the element that moved most, and by how much. */
    layoutShifts: { element: string; score: number }[];
  };
}

export interface LighthouseRun {
  performance: number | null;
  accessibility: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  /** Bytes the page fetched while Lighthouse watched (shows whether the after-load work was inside). */
  kB: number | null;
  /** The element that moved most, when anything moved. */
  topShift: string | null;
  loadAverage1m: number;
}

interface Lhr {
  finalDisplayedUrl?: string;
  runWarnings?: string[];
  runtimeError?: { message: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string }[] }>;
  audits: Record<
    string,
    {
      numericValue?: number;
      score: number | null;
      scoreDisplayMode?: string;
      details?: { items?: unknown[] };
    }
  >;
}

/** Lighthouse nests the element as a table of node rows inside the audit's details. */
function lcpSnippet(lhr: Lhr): string | null {
  const tables = (lhr.audits['largest-contentful-paint-element']?.details?.items ?? []) as {
    items?: { node?: { snippet?: string } }[];
  }[];
  return tables[0]?.items?.[0]?.node?.snippet ?? null;
}

const RUN_TIMEOUT_MS = 180_000;

/** `runs` Lighthouse runs one after another; the figures of the run with the median performance. */
export async function runLighthouse(
  url: string,
  cookie: string,
  preset: LighthousePreset,
  runs = 5,
): Promise<LighthouseFigures> {
  const all: LighthouseFigures[] = [];
  for (let i = 0; i < runs; i++) all.push(await lighthouseOnce(url, cookie, preset, RUN_TIMEOUT_MS));
  const sorted = [...all].sort((a, b) => (a.performance ?? -1) - (b.performance ?? -1));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error('lighthouse: no runs');
  return { ...median, runs: all.flatMap((f) => f.runs) };
}

async function lighthouseOnce(
  url: string,
  cookie: string,
  preset: LighthousePreset,
  timeoutMs: number,
): Promise<LighthouseFigures> {
  const loadAverage1m = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const dir = mkdtempSync(join(tmpdir(), 'bench-lighthouse-'));
  try {
    const headers = join(dir, 'headers.json');
    const report = join(dir, 'report.json');
    writeFileSync(headers, JSON.stringify({ Cookie: cookie }));
    const args = [
      join(REPO_ROOT, 'node_modules', 'lighthouse', 'cli', 'index.js'),
      url,
      '--output=json',
      `--output-path=${report}`,
      '--quiet',
      '--only-categories=performance,accessibility',
      `--extra-headers=${headers}`,
      '--chrome-flags=--headless --no-sandbox --disable-gpu',
      ...(preset === 'desktop' ? ['--preset=desktop'] : []),
    ];
    const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'node'), args, {
      env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-3000);
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code !== 0) throw new Error(`lighthouse exited ${code}:\n${stderr}`);
    const lhr = JSON.parse(readFileSync(report, 'utf8')) as Lhr;
    if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.message}`);
    if (lhr.finalDisplayedUrl && new URL(lhr.finalDisplayedUrl).pathname.startsWith('/signin')) {
      throw new Error('lighthouse landed on the sign-in page: the session cookie was not accepted');
    }
    const score = (id: string) => {
      const s = lhr.categories[id]?.score;
      return s === null || s === undefined ? null : Math.round(s * 100);
    };
    const metric = (id: string) => {
      const v = lhr.audits[id]?.numericValue;
      return v === undefined ? null : Math.round(v * 1000) / 1000;
    };
    const failedAccessibility = (lhr.categories.accessibility?.auditRefs ?? [])
      .map((r) => ({ id: r.id, audit: lhr.audits[r.id] }))
      .filter((a) => a.audit?.score === 0 && a.audit.scoreDisplayMode === 'binary')
      .map((a) => {
        // The first offending elements, so the report says what to fix.
        const nodes = ((a.audit?.details?.items ?? []) as { node?: { selector?: string } }[])
          .slice(0, 3)
          .map((i) => i.node?.selector ?? '?');
        return nodes.length ? `${a.id} (${nodes.join(', ')})` : a.id;
      });
    const bytes = metric('total-byte-weight');
    const layoutShifts = (
      (lhr.audits['layout-shifts']?.details?.items ?? []) as { node?: { selector?: string }; score: number }[]
    ).map((i) => ({ element: i.node?.selector ?? '?', score: Math.round(i.score * 1000) / 1000 }));
    const headline = {
      performance: score('performance'),
      accessibility: score('accessibility'),
      fcpMs: metric('first-contentful-paint'),
      lcpMs: metric('largest-contentful-paint'),
      tbtMs: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
    };
    return {
      url,
      preset,
      ...headline,
      runs: [
        {
          ...headline,
          kB: bytes === null ? null : Math.round(bytes / 1024),
          topShift: layoutShifts[0] ? `${layoutShifts[0].element} ${layoutShifts[0].score}` : null,
          loadAverage1m,
        },
      ],
      warnings: lhr.runWarnings ?? [],
      failedAccessibility,
      diagnostics: {
        mainThreadMs: metric('mainthread-work-breakdown'),
        bootupMs: metric('bootup-time'),
        totalBytes: bytes,
        lcpElement: lcpSnippet(lhr),
        slowestScripts: (
          (lhr.audits['bootup-time']?.details?.items ?? []) as { url: string; total: number }[]
        )
          .slice(0, 3)
          .map((i) => ({ url: i.url, ms: Math.round(i.total) })),
        longTasks: (
          (lhr.audits['long-tasks']?.details?.items ?? []) as {
            url: string;
            startTime: number;
            duration: number;
          }[]
        ).map((i) => ({ url: i.url, startMs: Math.round(i.startTime), ms: Math.round(i.duration) })),
        layoutShifts,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cliSchema = z.strictObject({
  runs: z.coerce.number().int().min(1).max(20).default(5),
  hours: z.coerce.number().positive().max(24).default(2),
  preset: z.enum(['desktop', 'mobile']).default('desktop'),
});

/** generate.ts in its own process (chDB locks a data directory to one process); spans are not drawn here. */
async function generateStore(storeDir: string, hours: number): Promise<void> {
  const child = spawn(
    join(REPO_ROOT, 'node_modules', '.bin', 'node'),
    ['bench/dashboard/generate.ts', '--data-dir', storeDir, '--hours', String(hours), '--spans', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  createInterface({ input: child.stdout }).on('line', () => {});
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`generate.ts failed (exit ${code})`);
}

/** Only the Lighthouse part of the dashboard bench, over a small generated store: quick to repeat. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string' }, hours: { type: 'string' }, preset: { type: 'string' } },
    strict: true,
  });
  const options = cliSchema.parse(values);
  const dir = mkdtempSync(join(tmpdir(), 'bench-lighthouse-store-'));
  const log = (line: string) => console.log(line);
  let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
  try {
    await generateStore(join(dir, 'chdb'), options.hours);
    dashboard = await startDashboard(dir, log);
    const figures = await runLighthouse(`${dashboard.url}/`, dashboard.cookie, options.preset, options.runs);
    console.table(figures.runs);
    const { runs: _runs, ...median } = figures;
    console.log(`median run: ${JSON.stringify(median, null, 2)}`);
  } finally {
    await dashboard?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
