// What admins see: the collector's health live on the System page, chaos changed from the Chaos
// page (and reset), both in the audit log, and the changes marked on the Overview's latency chart.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

test('the System page shows the collector’s health live', async ({ page }, testInfo) => {
  await signIn(page, E2E_USERS.viewer, '/system');
  // The target exports its telemetry every second, so points arrive all the time.
  await expect(page.getByTestId('sys-points')).toHaveText(/^\d[\d,.]*\/s$/, { timeout: 20_000 });
  await expect
    .poll(async () => Number(await page.getByTestId('sys-ingest-chart').getAttribute('data-points')), {
      timeout: 20_000,
    })
    .toBeGreaterThan(1);
  await expect(page.getByTestId('sys-queue')).toHaveText(/^\d[\d.]* (B|KiB|MiB|GiB)$/);
  await expect(page.getByTestId('sys-store')).toHaveText(/ms$/);
  await expect(page.getByTestId('sys-dropped')).toHaveText('0');
  await page.screenshot({ path: testInfo.outputPath('system.png'), fullPage: true });
});

test('an admin changes chaos and resets it; a viewer only sees it', async ({ page, browser }, testInfo) => {
  await signIn(page, E2E_USERS.admin, '/chaos');
  await expect(page.getByTestId('chaos-summary')).toHaveText('no chaos: the target runs normally');
  await page.getByTestId('chaos-latencyMs').fill('5');
  await page.getByTestId('chaos-apply').click();
  await expect(page.getByTestId('chaos-summary')).toHaveText('+5.0 ms latency');
  await expect(page.getByTestId('chaos-scope')).toHaveText('every /api route');

  // Scope the faults to two of the target's routes, with jitter; the page shows them after a reload.
  const routes = page.getByTestId('chaos-routes');
  await routes.getByRole('checkbox', { name: '/api/makes', exact: true }).check();
  await routes.getByRole('checkbox', { name: '/api/cars/:id', exact: true }).check();
  await page.getByTestId('chaos-jitterMs').fill('250');
  await page.getByTestId('chaos-apply').click();
  const scoped = '+5.0 ms latency · +0–250 ms jitter';
  await expect(page.getByTestId('chaos-summary')).toHaveText(scoped);
  await page.reload();
  await expect(page.getByTestId('chaos-summary')).toHaveText(scoped);
  await expect(page.getByTestId('chaos-scope')).toHaveText('/api/makes, /api/cars/:id');
  await expect(page.getByTestId('chaos-jitterMs')).toHaveValue('250');
  await expect(routes.getByRole('checkbox', { checked: true })).toHaveCount(2);
  await expect(routes.getByRole('checkbox', { name: '/api/makes', exact: true })).toBeChecked();
  await page.screenshot({ path: testInfo.outputPath('chaos.png'), fullPage: true });

  const viewer = await browser.newPage();
  await signIn(viewer, E2E_USERS.viewer, '/chaos');
  await expect(viewer.getByTestId('chaos-summary')).toHaveText(scoped);
  await expect(viewer.getByTestId('chaos-scope')).toHaveText('/api/makes, /api/cars/:id');
  await expect(viewer.getByTestId('chaos-not-allowed')).toBeVisible();
  await expect(viewer.getByTestId('chaos-form')).toHaveCount(0);
  await viewer.close();

  await page.getByTestId('chaos-reset').click();
  await expect(page.getByTestId('chaos-summary')).toHaveText('no chaos: the target runs normally');
  await expect(page.getByTestId('chaos-scope')).toHaveText('every /api route');

  await page.goto('/audit?action=chaos.change');
  await expect(page.getByTestId('audit-row')).toHaveCount(3);
  await expect(page.getByTestId('audit-row').first()).toContainText(E2E_USERS.admin.name);
  await page.screenshot({ path: testInfo.outputPath('audit-chaos.png'), fullPage: true });

  // The three changes are marked on the Overview's charts, each with its full label on hover
  // (a chart's window ends at its last whole step: a change shows within a step and a few seconds).
  await page.goto('/?range=5m');
  const latency = page.getByTestId('latency-chart');
  await expect
    .poll(async () => Number(await latency.getAttribute('data-markers')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(3);
  // Drawn with their labels where the chart has steps (the target's own traffic gives the request
  // rate chart 0 req/s steps; the latency chart has none without API traffic).
  const rate = page.getByTestId('rate-chart');
  await expect(rate.getByTestId('change-marker')).not.toHaveCount(0);
  const labels = await rate
    .getByTestId('change-marker')
    .evaluateAll((markers) =>
      markers.map((m) =>
        (m.getAttribute('title') ?? m.querySelector('title')?.textContent ?? '').replace(/^[^·]*· /, ''),
      ),
    );
  expect(labels.slice(-3)).toEqual([
    'chaos: +5 ms',
    'chaos: +5 ms, ±250 ms jitter on /api/makes, /api/cars/:id',
    'chaos: off',
  ]);
  await page.screenshot({ path: testInfo.outputPath('overview-chaos-markers.png'), fullPage: true });
});
