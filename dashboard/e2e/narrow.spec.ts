// On-call opens an alert's link on a phone: the Overview, Alerts and Load tests pages and a run's
// report fit a 390 px wide screen — nothing makes the page scroll sideways (a wide table scrolls
// inside its own box); a short smoke run is launched from the phone-sized page to get a report.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

test.use({ viewport: { width: 390, height: 844 } });

/** How far the page reaches past the viewport's right edge, px (0: it fits). */
const sidewaysOverflow = (page: import('@playwright/test').Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('the Overview, Alerts, Load tests and run pages fit 390 px without sideways scrolling', async ({
  page,
}) => {
  await signIn(page, E2E_USERS.qa, '/');
  for (const [path, ready] of [
    ['/', 'p95-value'],
    ['/alerts', 'rules-table'],
    ['/load-tests', null],
  ] as const) {
    await page.goto(path);
    if (ready) await expect(page.getByTestId(ready)).toBeVisible();
    await page.waitForTimeout(1500); // the live streams' first snapshots render
    expect(await sidewaysOverflow(page), `${path} overflows sideways`).toBeLessThanOrEqual(0);
  }

  await page.getByTestId('scenario-select').selectOption('smoke');
  await page.getByTestId('vus-input').fill('2');
  await page.getByTestId('duration-input').fill('4s');
  await page.getByTestId('launch-button').click();
  const panel = page.getByTestId('run-panel');
  await expect(panel.getByTestId('run-state')).toHaveText('finished', { timeout: 90_000 });
  const id = await panel.getAttribute('data-run-id');
  await page.goto(`/runs/${id}`);
  await expect(page.getByTestId('endpoint-row').first()).toBeVisible();
  await page.waitForTimeout(1500);
  expect(await sidewaysOverflow(page), `/runs/${id} overflows sideways`).toBeLessThanOrEqual(0);
});
