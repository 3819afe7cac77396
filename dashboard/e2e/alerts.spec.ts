// Silencing and acknowledging an alert through the browser: chaos latency on the real target plus
// a little local traffic make TargetHighLatencyP95 fire; qa silences it from its row (matchers
// prefilled from its labels), sees it marked silenced, expires the silence, then acknowledges it
// and takes the acknowledgement back. A silence that would match everything is refused.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

const TARGET = 'http://127.0.0.1:18080';
// The target's default admin token: the e2e target app runs without ADMIN_TOKEN.
const ADMIN = { authorization: 'Bearer dev-admin-token', 'content-type': 'application/json' };

/** Requests to the local target, 4 at a time, until stopped (at most 2 minutes). */
function driveTraffic() {
  let running = true;
  const until = Date.now() + 120_000;
  const worker = async () => {
    while (running && Date.now() < until) {
      await fetch(`${TARGET}/api/cars?limit=5`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
    }
  };
  const workers = Promise.all([worker(), worker(), worker(), worker()]);
  return async () => {
    running = false;
    await workers;
  };
}

test('qa silences a firing alert from its row, expires the silence, and acknowledges it', async ({
  page,
  browser,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  const chaos = await fetch(`${TARGET}/admin/chaos`, {
    method: 'PUT',
    headers: ADMIN,
    body: JSON.stringify({ latencyMs: 300 }),
  });
  expect(chaos.status).toBe(200);
  const stopTraffic = driveTraffic();
  try {
    await signIn(page, E2E_USERS.qa, '/alerts');
    const row = page.getByTestId('alert-instance').filter({ hasText: 'TargetHighLatencyP95' });

    await test.step('the slow target makes the p95 rule fire', async () => {
      await expect(row.getByTestId('instance-state')).toHaveText('firing', { timeout: 90_000 });
    });

    await test.step('a silence from the row is prefilled with its labels and marks it silenced', async () => {
      await row.getByTestId('silence-alert').click();
      const form = page.getByTestId('silence-form');
      const first = form.getByTestId('matcher-row').first();
      await expect(first.getByLabel('label name')).toHaveValue('alertname');
      await expect(first.getByLabel('label value')).toHaveValue('TargetHighLatencyP95');
      await form.getByTestId('silence-comment').fill('e2e: chaos experiment');
      await form.getByTestId('silence-submit').click();
      await expect(form).toHaveCount(0);
      const silence = page.getByTestId('silence-row').filter({ hasText: 'e2e: chaos experiment' });
      await expect(silence.getByTestId('silence-state')).toHaveText('active');
      await expect(silence).toContainText('alertname="TargetHighLatencyP95"');
      await expect(silence).toContainText(E2E_USERS.qa.name);
      await expect(row.getByTestId('silenced-marker')).toBeVisible();
      await expect(row.getByTestId('instance-state')).toHaveText('firing');
      await shot('alerts-silenced.png');
    });

    await test.step('a silence that would match everything is refused with the reason', async () => {
      await page.getByTestId('new-silence').click();
      const form = page.getByTestId('silence-form');
      const first = form.getByTestId('matcher-row').first();
      await first.getByLabel('label name').fill('severity');
      await first.getByLabel('operator').selectOption('=~');
      await first.getByLabel('label value').fill('.*');
      await form.getByTestId('silence-comment').fill('too broad');
      await form.getByTestId('silence-submit').click();
      await expect(form.getByTestId('silence-error')).toContainText('would silence everything');
      await form.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByTestId('silence-row').filter({ hasText: 'too broad' })).toHaveCount(0);
    });

    await test.step('expiring the silence unmarks the alert', async () => {
      const silence = page.getByTestId('silence-row').filter({ hasText: 'e2e: chaos experiment' });
      await silence.getByTestId('expire-silence').click();
      await expect(silence.getByTestId('silence-state')).toHaveText('expired');
      await expect(row.getByTestId('silenced-marker')).toHaveCount(0);
    });

    await test.step('acknowledge, then un-ack', async () => {
      await row.getByTestId('ack-alert').click();
      await expect(row.getByTestId('acked-marker')).toHaveText(`acked by ${E2E_USERS.qa.name}`);
      await row.getByTestId('unack-alert').click();
      await expect(row.getByTestId('acked-marker')).toHaveCount(0);
    });

    await test.step('a viewer sees the alert but no silence or acknowledge actions', async () => {
      const context = await browser.newContext();
      const viewer = await context.newPage();
      await signIn(viewer, E2E_USERS.viewer, '/alerts');
      const viewerRow = viewer.getByTestId('alert-instance').filter({ hasText: 'TargetHighLatencyP95' });
      await expect(viewerRow.getByTestId('instance-state')).toHaveText('firing');
      await expect(viewerRow.getByTestId('silence-alert')).toHaveCount(0);
      await expect(viewerRow.getByTestId('ack-alert')).toHaveCount(0);
      await expect(viewer.getByTestId('new-silence')).toHaveCount(0);
      await context.close();
    });
  } finally {
    await stopTraffic();
    await fetch(`${TARGET}/admin/chaos`, {
      method: 'DELETE',
      headers: { authorization: ADMIN.authorization },
    });
  }
});
