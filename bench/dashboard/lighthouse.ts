// Lighthouse (the `lighthouse` npm package's CLI, run by Node 24) against a dashboard page, signed
// in through the session cookie sent as an extra header, with the machine's Chromium
// (CHROME_PATH) headless. Returns the category scores (0–100) and the paint metrics.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './dashboard-process.ts';

export type LighthousePreset = 'desktop' | 'mobile';

export interface LighthouseFigures {
  url: string;
  preset: LighthousePreset;
  performance: number | null;
  accessibility: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  /** Lighthouse's own warnings (e.g. the page did not settle); empty when clean. */
  warnings: string[];
  /** Accessibility audits that failed, by id. */
  failedAccessibility: string[];
  /** Where the page's time and bytes go (main-thread work, script boot-up, transfer size). */
  diagnostics: {
    mainThreadMs: number | null;
    bootupMs: number | null;
    totalBytes: number | null;
    /** The LCP element's HTML snippet, and the scripts costing the most main-thread time. */
    lcpElement: string | null;
    slowestScripts: { url: string; ms: number }[];
  };
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

export async function runLighthouse(
  url: string,
  cookie: string,
  preset: LighthousePreset,
  timeoutMs = 180_000,
): Promise<LighthouseFigures> {
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
      .map((a) => a.id);
    return {
      url,
      preset,
      performance: score('performance'),
      accessibility: score('accessibility'),
      fcpMs: metric('first-contentful-paint'),
      lcpMs: metric('largest-contentful-paint'),
      tbtMs: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
      warnings: lhr.runWarnings ?? [],
      failedAccessibility,
      diagnostics: {
        mainThreadMs: metric('mainthread-work-breakdown'),
        bootupMs: metric('bootup-time'),
        totalBytes: metric('total-byte-weight'),
        lcpElement: lcpSnippet(lhr),
        slowestScripts: (
          (lhr.audits['bootup-time']?.details?.items ?? []) as { url: string; total: number }[]
        )
          .slice(0, 3)
          .map((i) => ({ url: i.url, ms: Math.round(i.total) })),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
