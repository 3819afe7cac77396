// The silence attack, repeated against the real engine and a real chDB store in a child process
// (the "dashboard"), killed if it does not answer: a qa user's silence with nested quantifiers must
// neither hang evaluation nor hang it again after a restart (the silence is stored), and a stored
// silence whose pattern RE2 refuses loads, matches nothing and says so.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../support/silence-attack.ts', import.meta.url));
const t0 = Date.UTC(2026, 2, 1, 9, 0, 0);
/** Far more than a healthy run needs (chDB start + one evaluation ≈ 2–5 s), far less than the attack. */
const DEADLINE_MS = 60_000;

type Outcome = {
  created: Record<string, string>;
  state?: string;
  silencedBy?: string[];
  problems: Record<string, string | null>;
  log: string[];
};

async function runDashboard(dataDir: string, mode: 'create' | 'plant' | 'none'): Promise<Outcome> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, dataDir, String(t0), mode], {
    timeout: DEADLINE_MS,
    killSignal: 'SIGKILL',
  }).catch((error: { killed?: boolean; stderr?: string }) => {
    throw new Error(
      error.killed
        ? `the engine did not answer within ${DEADLINE_MS / 1000} s (killed): a matcher is backtracking`
        : `the engine failed: ${error.stderr ?? String(error)}`,
    );
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Outcome;
}

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('silence matchers under attack', () => {
  it('evaluates with a nested-quantifier silence, and again after a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'silence-attack-'));
    const first = await runDashboard(dataDir, 'create');
    // (a+)+ does not match "aaa…a!"; a+! does: silences still work, in linear time.
    expect(first).toMatchObject({ state: 'firing', silencedBy: [first.created.matching] });
    const restarted = await runDashboard(dataDir, 'none');
    expect(restarted).toMatchObject({ state: 'firing', silencedBy: [first.created.matching] });
  });

  it('loads a stored silence RE2 refuses as matching nothing, and says so once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'silence-attack-'));
    const outcome = await runDashboard(dataDir, 'plant');
    const id = outcome.created.refused!;
    expect(outcome).toMatchObject({ state: 'firing', silencedBy: [] });
    expect(outcome.problems[id]).toMatch(/team!~"\(\?=never\)" is refused \(not an RE2 regular expression/);
    expect(outcome.log.filter((line) => line.includes(id))).toEqual([
      expect.stringMatching(/^silence .* \(by old-version\) is not applied: .*matches nothing$/),
    ]);
  });
});
