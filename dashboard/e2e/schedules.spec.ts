// Scheduled runs in the UI: a qa user opens Schedules from the nav, is refused a bad cron with the
// server's reason, creates a schedule (time zone defaulting to the browser's), sees its next run in
// that zone, pauses and resumes it, and deletes it; a viewer sees the list without the controls.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

test('qa creates a schedule, sees its next run, pauses and resumes it', async ({
  page,
  browser,
}, testInfo) => {
  const name = `nightly-${Date.now()}`;
  await signIn(page, E2E_USERS.qa, '/');
  await page.getByTestId('nav-schedules').click();
  await expect(page).toHaveURL(/\/schedules$/);
  await expect(page.getByText('runs once at start if it is at most 1 hour old')).toBeVisible();

  // The time zone starts as the browser's own.
  const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(page.getByTestId('schedule-tz')).toHaveValue(browserZone);

  await page.getByTestId('schedule-name').fill(name);
  await page.getByTestId('schedule-vus').fill('1');
  await page.getByTestId('schedule-duration').fill('5s');
  await page.getByTestId('schedule-cron').fill('0 3 * * 61');
  await page.getByTestId('schedule-create').click();
  await expect(page.getByTestId('schedule-error')).toContainText('cron: invalid cron "0 3 * * 61"');
  await expect(page.locator(`[data-testid="schedule-row"][data-name="${name}"]`)).toHaveCount(0);

  await page.getByTestId('schedule-cron').fill('30 3 * * *');
  await page.getByTestId('schedule-tz').fill('Asia/Tokyo');
  await page.getByTestId('schedule-notify').fill('https://hooks.slack.com/services/T000/B000/secretpart');
  await page.getByTestId('schedule-notify-format').selectOption('slack');
  await page.getByTestId('schedule-create').click();
  const row = page.locator(`[data-testid="schedule-row"][data-name="${name}"]`);
  await expect(row).toHaveAttribute('data-paused', 'false');
  // Next run: 03:30 in Tokyo, shown in the schedule's zone; the Slack URL's secret path is not shown.
  await expect(row.getByTestId('schedule-next')).toContainText('03:30:00 (Asia/Tokyo)');
  await expect(row).toContainText('slack → https://hooks.slack.com');
  // Once saved, the form forgets the URL: its secret path is nowhere on the page.
  await expect(page.getByTestId('schedule-notify')).toHaveValue('');
  expect(await page.content()).not.toContain('secretpart');
  await expect(row.getByTestId('schedule-last')).toHaveCount(0);
  await expect(row).toContainText('never run');
  await page.screenshot({ path: testInfo.outputPath('schedule-created.png'), fullPage: true });

  await row.getByTestId('schedule-pause').click();
  await expect(row).toHaveAttribute('data-paused', 'true');
  await expect(row.getByTestId('schedule-paused')).toBeVisible();
  // Paused survives a reload: it is the server's state, not the page's.
  await page.reload();
  await expect(row.getByTestId('schedule-paused')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('schedule-paused.png'), fullPage: true });

  const viewer = await browser.newPage();
  await signIn(viewer, E2E_USERS.viewer, '/schedules');
  const seen = viewer.locator(`[data-testid="schedule-row"][data-name="${name}"]`);
  await expect(seen.getByTestId('schedule-paused')).toBeVisible();
  await expect(seen.getByTestId('schedule-resume')).toHaveCount(0);
  await expect(viewer.getByTestId('schedule-form')).toHaveCount(0);
  await viewer.close();

  await row.getByTestId('schedule-resume').click();
  await expect(row).toHaveAttribute('data-paused', 'false');
  await expect(row.getByTestId('schedule-next')).toContainText('03:30:00 (Asia/Tokyo)');

  await row.getByTestId('schedule-delete').click();
  await expect(row).toHaveCount(0);
});

test('a schedule’s runs appear on the page as they happen, linked to their reports', async ({ page }) => {
  const name = `every-5s-${Date.now()}`;
  await signIn(page, E2E_USERS.qa, '/schedules');
  await page.getByTestId('schedule-name').fill(name);
  await page.getByTestId('schedule-vus').fill('1');
  await page.getByTestId('schedule-duration').fill('2s');
  await page.getByTestId('schedule-cron').fill('*/5 * * * * *');
  await page.getByTestId('schedule-tz').fill('UTC');
  await page.getByTestId('schedule-create').click();
  const row = page.locator(`[data-testid="schedule-row"][data-name="${name}"]`);
  // No reload: the list streams. The first run shows up, then ends.
  const last = row.getByTestId('schedule-last');
  await expect(last.getByRole('link')).toHaveText(/^run_/, { timeout: 30_000 });
  await expect(last).toHaveAttribute('data-state', /^(finished|failed)$/, { timeout: 45_000 });
  await row.getByTestId('schedule-pause').click();
  await expect(row.getByTestId('schedule-paused')).toBeVisible();
  // A run launched just before the pause (or a due time skipped beside it) still changes the row:
  // wait until the last run has ended, so the link clicked is the one read (CI once clicked while
  // the row re-rendered and stayed on /schedules).
  await expect(last).toHaveAttribute('data-run-state', /^(finished|failed|aborted|lost)$/, {
    timeout: 45_000,
  });
  const link = last.getByRole('link');
  const runId = (await link.textContent()) ?? '';
  await expect(link).toHaveAttribute('href', `/runs/${runId}`);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByText(`schedule:`).first()).toBeVisible();
  await page.goto('/schedules');
  await row.getByTestId('schedule-delete').click();
  await expect(row).toHaveCount(0);
});
