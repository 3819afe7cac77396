// The whole loop through the browser: launch a smoke run from the Load tests page and watch it
// to its result; see the target's latency reach the Overview's charts; see the alert rules.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

const TARGET = 'http://127.0.0.1:18080';
const MS = /^\d+(\.\d+)? (ms|s)$/;

test('launch a smoke run, watch it finish, see its telemetry on the Overview and the alert rules', async ({
  page,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

  await test.step('qa signs in and lands on the page they asked for', async () => {
    await signIn(page, E2E_USERS.qa, '/load-tests');
  });

  await test.step('bad parameters are refused with the reason next to the field', async () => {
    await expect(page.getByTestId('target-select')).toHaveValue(TARGET);
    await page.getByTestId('vus-input').fill('500');
    await page.getByTestId('launch-button').click();
    await expect(page.getByTestId('error-vus')).toHaveText('must be at most 50');
    await expect(page.getByTestId('run-panel')).toHaveCount(0);
  });

  await test.step('a smoke run goes from running to finished with a result', async () => {
    await page.getByTestId('scenario-select').selectOption('smoke');
    await page.getByTestId('vus-input').fill('2');
    await page.getByTestId('duration-input').fill('5s');
    await page.getByTestId('launch-button').click();
    const state = page.getByTestId('run-state');
    await expect(state).toHaveText('running', { timeout: 30_000 });
    await expect(page.getByTestId('live-vus')).toHaveText('2');
    await expect(page).toHaveURL(/\/load-tests\?run=run_/);
    await shot('load-tests-running.png');

    await expect(state).toHaveText('finished', { timeout: 60_000 });
    const result = page.getByTestId('run-result');
    await expect(result).toBeVisible();
    // Either verdict can be right on a busy machine, but the verdict, the exit code and the
    // thresholds listed must tell the same story: exit 0 with every threshold passed, or exit 99
    // with at least one failed.
    await expect(result.getByTestId('result-exit')).toHaveText(/^exit code (0|99): /);
    const exitCode = /^exit code (\d+)/.exec(
      (await result.getByTestId('result-exit').textContent()) ?? '',
    )?.[1];
    const thresholds = result.getByTestId('result-thresholds').getByTestId('threshold');
    await expect(thresholds).not.toHaveCount(0);
    const failedThresholds = await result.locator('[data-testid="threshold"].bad').count();
    if (exitCode === '0') {
      await expect(result.getByTestId('result-verdict')).toHaveText('✓ All thresholds passed');
      expect(failedThresholds).toBe(0);
    } else {
      await expect(result.getByTestId('result-verdict')).toHaveText('✗ Thresholds failed');
      expect(failedThresholds).toBeGreaterThan(0);
    }
    await expect(result.getByTestId('result-p95')).toHaveText(MS);
    await expect(result.getByTestId('result-requests')).toHaveText(/^[1-9][\d,]*$/);
    await expect(page.getByTestId('run-row').first()).toContainText('finished');
    await shot('load-tests-finished.png');
  });

  await test.step("the finished run's scores cover its own window", async () => {
    await page.getByTestId('run-scores-link').click();
    await expect(page).toHaveURL(/\/scores\?run=run_/);
    await expect(page.getByTestId('scores-window')).toContainText('load-test run run_');
    // The run drove the real target, whose telemetry reaches the store within an export interval
    // or two: the run's window has data, so the overall score is a number, not "no data".
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('scores-overall').textContent();
        },
        { timeout: 45_000, intervals: [2_000] },
      )
      .toMatch(/^\d+$/);
    await expect(page.getByTestId('score-category-network').getByTestId('kpi-row')).toHaveCount(2);
    await shot('run-scores.png');
  });

  await test.step('the Overview charts the target latency the run caused', async () => {
    await page.goto('/?range=5m');
    await expect(page.getByTestId('range-5m')).toHaveAttribute('aria-pressed', 'true');
    await expect
      .poll(async () => Number(await page.getByTestId('latency-chart').getAttribute('data-points')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect(page.getByTestId('p95-value')).toHaveText(MS);
    await expect(page.getByTestId('rate-value')).toHaveText(/req\/s$/);
    await expect(page.locator('[data-testid="latency-chart"] .recharts-line-curve').first()).toBeAttached();
    await shot('overview.png');

    await page.getByTestId('range-60m').click();
    await expect(page).toHaveURL(/range=60m/);
    await expect(page.getByTestId('range-60m')).toHaveAttribute('aria-pressed', 'true');
  });

  await test.step('the Alerts page lists the rules with their state', async () => {
    await page.getByTestId('nav-alerts').click();
    await expect(page).toHaveURL(/\/alerts$/);
    const rules = page.getByTestId('rule-row');
    await expect(rules.first()).toBeVisible();
    await expect(page.getByTestId('rules-table')).toContainText('TargetHighLatencyP95');
    // TargetNoData watches the gauges the target exports on every interval, busy or idle; the
    // target has been running all along, so once evaluated the rule is inactive (pending or
    // firing would mean the target's telemetry is not reaching the store).
    const noData = rules.filter({ hasText: 'TargetNoData' });
    await expect(noData.getByTestId('rule-eval-time')).toBeVisible({ timeout: 60_000 });
    await expect(noData.getByTestId('rule-state')).toHaveText('inactive');
    await shot('alerts.png');
  });
});

test('qa launches a run and stops it from the browser; the admin sees both in the audit log', async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page, E2E_USERS.qa, '/load-tests');
  await page.getByTestId('vus-input').fill('1');
  await page.getByTestId('duration-input').fill('2m');
  await page.getByTestId('launch-button').click();
  const state = page.getByTestId('run-state');
  await expect(state).toHaveText('running', { timeout: 30_000 });
  await page.getByTestId('stop-button').click();
  await expect(state).toHaveText('aborted', { timeout: 30_000 });
  await expect(page.getByTestId('run-reason')).toHaveText('stopped by user');
  await expect(page.getByTestId('stop-button')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('load-tests-stopped.png'), fullPage: true });
  const runId = await page.getByTestId('run-panel').getAttribute('data-run-id');

  const admin = await browser.newPage();
  await signIn(admin, E2E_USERS.admin, '/audit');
  await admin.getByTestId('audit-actor').fill(E2E_USERS.qa.name);
  await admin.getByTestId('audit-actor').blur();
  await expect(admin).toHaveURL(/actor=quinn/);
  const rows = admin.getByTestId('audit-table').locator(`tr:has-text("${runId}")`);
  await expect(rows.and(admin.locator('[data-action="run.launch"]'))).toHaveCount(1);
  await expect(rows.and(admin.locator('[data-action="run.stop"]'))).toHaveCount(1);
  await admin.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: true });
  await admin.close();
});
