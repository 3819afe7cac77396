// The k6 scripts themselves, read by `k6 inspect`: the catalogue's plan figures are what the
// scripts compute at scale 1 and at a tiny scale, and a k6-operator archive freezes a run's options.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveK6Path } from '../src/k6-binary.ts';
import { buildArchive } from '../src/k6-operator.ts';
import { scenarioScript } from '../src/scenario-script.ts';
import { parseDuration, scenarios } from '../src/scenarios.ts';

const k6Path = resolveK6Path();
const target = 'http://127.0.0.1:8080';

describe('the scripts carry the catalogue’s plan figures', () => {
  const inspect = (script: string, env: Record<string, string>) =>
    JSON.parse(
      execFileSync(k6Path, [
        'inspect',
        '--execution-requirements',
        ...Object.entries({ BASE_URL: 'http://127.0.0.1:1', ...env }).flatMap(([k, v]) => [
          '-e',
          `${k}=${v}`,
        ]),
        script,
      ]).toString(),
    ) as { maxVUs: number; scenarios: Record<string, { stages: { duration: string }[] }> };
  const stagesMs = (opts: ReturnType<typeof inspect>) =>
    Object.values(opts.scenarios)
      .flatMap((s) => s.stages)
      .reduce((ms, s) => ms + goDurationMs(s.duration), 0);

  test.each(Object.values(scenarios).filter((s) => 'plan' in s))('$name', (def) => {
    const full = inspect(scenarioScript(def), {});
    expect(full.maxVUs).toBe(def.plan.peakVus);
    expect(stagesMs(full)).toBe(parseDuration(def.defaults.duration));
    const tiny = inspect(scenarioScript(def), { SCALE: '0.001', DURATION: '10s' });
    expect(tiny.maxVUs).toBe(Math.round(def.plan.peakVus * 0.001));
    expect(stagesMs(tiny)).toBe(10_000);
  });
});

/** Go's time.Duration text as k6 prints it: "1h0m5s", "1.5s", "500ms". */
function goDurationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/([\d.]+)(ms|h|m|s)/g)) ms += Number(n) * units[unit!]!;
  return ms;
}

test('a k6-operator script archive carries the scaled options of the run', async () => {
  const outPath = join(mkdtempSync(join(tmpdir(), 'lt-archive-')), 'stress.tar');
  await buildArchive({
    k6Path,
    scenario: 'stress',
    params: { target: target, scale: 0.002, duration: '2m' },
    targets: [target],
    outPath,
  });
  const opts = JSON.parse(execFileSync(k6Path, ['inspect', '--execution-requirements', outPath]).toString());
  expect(opts.maxVUs).toBe(100);
  expect(opts.totalDuration).toBe('2m5s');
});
