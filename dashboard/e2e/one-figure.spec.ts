// One figure per question, through the browser: a smoke run's p95 reads the same on its panel, in
// the run list, in its report, in the compare picker and in the comparison table — every one of
// them from the run's request samples in the store (load-tests/src/results/run-percentiles.ts),
// and the report says the figure is exact — and in what the CLI's `results` prints, asked through
// the same server with an API token.
import { expect, test } from '@playwright/test';
import { cli, createApiToken } from '../test/support/cli-process.ts';
import { signInSession } from '../test/support/dashboard-server.ts';
import { E2E_USERS, signIn } from './support/users.ts';

const MS = /^\d+(\.\d+)? (ms|s)$/;

/**
 * The values a displayed figure can stand for, [low, high): the UI's formatMs rounds to 3 significant
 * places or so ("123 ms", "12.3 ms", "1.23 s"), the CLI to 0.1 ms ("123.4"). Both show one value
 * exactly when these ranges overlap.
 */
function roundedFrom(text: string): [number, number] {
  const m = /^(\d+)(?:\.(\d+))?(?: (ms|s))?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}"`);
  const scale = m[3] === 's' ? 1000 : 1;
  const half = 0.5 * 10 ** -(m[2]?.length ?? 0) * scale;
  const value = Number(`${m[1]}.${m[2] ?? '0'}`) * scale;
  return [value - half, value + half];
}

test("one run's p95 is one value on the panel, the run list, the report, Compare and the CLI", async ({
  page,
}) => {
  await signIn(page, E2E_USERS.qa, '/load-tests');
  await page.getByTestId('scenario-select').selectOption('smoke');
  await page.getByTestId('vus-input').fill('3');
  await page.getByTestId('duration-input').fill('5s');
  await page.getByTestId('launch-button').click();
  await expect(page).toHaveURL(/\/load-tests\?run=run_/);
  const panel = page.getByTestId('run-panel');
  await expect(panel.getByTestId('run-state')).toHaveText('finished', { timeout: 90_000 });
  const id = await panel.getAttribute('data-run-id');
  if (!id) throw new Error('the run panel names no run');

  const result = panel.getByTestId('run-result');
  await expect(result.getByTestId('result-p95')).toHaveText(MS);
  const p95 = (await result.getByTestId('result-p95').textContent()) ?? '';
  expect(p95).toMatch(MS);
  await expect(result.getByTestId('result-percentile-origin')).toContainText('exact');

  const row = page.getByTestId('run-row').filter({ hasText: id });
  await expect(row.locator('td').nth(4)).toHaveText(p95);

  await page.goto(`/runs/${id}`);
  await expect(page.getByTestId('report-p95')).toContainText(p95);
  await expect(page.getByTestId('percentile-origin')).toContainText('exact');

  await page.goto(`/compare?scenario=smoke&base=${id}&candidate=${id}`);
  await expect(page.getByTestId('compare-candidate').locator(`option[value="${id}"]`)).toContainText(
    `p95 ${p95}`,
  );
  const totals = page.getByTestId('diff-row').filter({ hasText: 'All requests' });
  await expect(totals.locator('td[data-regression]').nth(1)).toContainText(`${p95} → ${p95}`);
  await expect(page.getByTestId('compare-percentile-origin')).toContainText('baseline exact');

  // The CLI, as a CI job runs it: `results <run id>` through the server with a viewer's token.
  const base = new URL(page.url()).origin;
  const admin = await signInSession(base, E2E_USERS.admin.name, E2E_USERS.admin.password);
  const { token } = await createApiToken(base, admin, `one-figure-${Date.now()}`, 'viewer');
  const printed = await cli(['results', id], { PERF_SERVER_URL: base, PERF_TOKEN: token });
  expect(printed.code, printed.stderr).toBe(0);
  expect(printed.stdout).toContain(`run ${id}: smoke, finished`);
  expect(printed.stdout).toMatch(/\(percentiles exact: /);
  const cliP95 = /latency ms: .*\bp95 (\d+\.\d)\b/.exec(printed.stdout)?.[1];
  if (!cliP95) throw new Error(`no p95 in the CLI's output:\n${printed.stdout}`);
  const [uiLow, uiHigh] = roundedFrom(p95);
  const [cliLow, cliHigh] = roundedFrom(cliP95);
  expect(
    cliLow < uiHigh && uiLow < cliHigh,
    `CLI p95 ${cliP95} ms and the UI's ${p95} are roundings of one value`,
  ).toBe(true);
  // Where both show a tenth of a millisecond (10–100 ms, a smoke run's usual p95) they read alike.
  if (/^\d{2}\.\d ms$/.test(p95)) expect(`${cliP95} ms`).toBe(p95);
});
