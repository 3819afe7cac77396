// The System page says who was refused and shows the chosen range from the store: a sender
// posting invalid items appears by name in its table, red; the charts open with stored history
// (not only the snapshots since the page opened); the range lives in the URL.
import { expect, test } from '@playwright/test';
import { postOtlp, untimedGaugeBody } from '../test/support/otlp.ts';
import { E2E_USERS, signIn } from './support/users.ts';

/** The in-process collector of the dashboard playwright.config.ts starts (COLLECTOR_PORT). */
const COLLECTOR_URL = 'http://127.0.0.1:14318';

test('the System page names the sender of rejected items and charts stored history', async ({
  page,
}, testInfo) => {
  await postOtlp(COLLECTOR_URL, '/v1/metrics', untimedGaugeBody('bad-sender', 4));
  await signIn(page, E2E_USERS.viewer, '/system?range=15m');

  const row = page.getByTestId('sys-refusal-row').filter({ hasText: 'bad-sender' });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('sys-refusal-sender')).toHaveText('bad-sender');
  await expect(row).toContainText('invalid_items');
  await expect(row).toContainText('metrics');
  await expect(page.getByTestId('sys-rejected')).not.toHaveText('0');
  await expect(page.getByTestId('sys-rejected')).toHaveClass(/bad-text/);

  // History on load: the collector writes its self-telemetry every 10 s from its start, so once a
  // step has closed the page opens with stored points (reloaded while the server is still young).
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('sys-charts')).toHaveAttribute('data-history-points', /^[1-9]\d*$/, {
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  const historyPoints = Number(await page.getByTestId('sys-ingest-chart').getAttribute('data-points'));
  expect(historyPoints).toBeGreaterThan(0);

  // Thresholds are stated beside the colour they set.
  await expect(page.getByTestId('sys-store')).toHaveAttribute('title', /amber > 100 ms, red > 500 ms/);
  await expect(page.getByTestId('sys-store')).toHaveAttribute('data-tone', /^(ok|warn|bad)$/);

  await page.getByTestId('range-5m').click();
  await expect(page).toHaveURL(/range=5m/);
  await expect(page.getByTestId('range-5m')).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: testInfo.outputPath('system-refusals.png'), fullPage: true });
});
