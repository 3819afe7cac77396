// What admins see: the collector's health live on the System page, chaos changed from the Chaos
// page (and reset), and both in the audit log.
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
  await page.screenshot({ path: testInfo.outputPath('chaos.png'), fullPage: true });

  const viewer = await browser.newPage();
  await signIn(viewer, E2E_USERS.viewer, '/chaos');
  await expect(viewer.getByTestId('chaos-summary')).toHaveText('+5.0 ms latency');
  await expect(viewer.getByTestId('chaos-not-allowed')).toBeVisible();
  await expect(viewer.getByTestId('chaos-form')).toHaveCount(0);
  await viewer.close();

  await page.getByTestId('chaos-reset').click();
  await expect(page.getByTestId('chaos-summary')).toHaveText('no chaos: the target runs normally');

  await page.goto('/audit?action=chaos.change');
  await expect(page.getByTestId('audit-row')).toHaveCount(2);
  await expect(page.getByTestId('audit-row').first()).toContainText(E2E_USERS.admin.name);
  await page.screenshot({ path: testInfo.outputPath('audit-chaos.png'), fullPage: true });
});
