// A run's report and a comparison through the browser: qa runs two short smoke runs against the
// real target, opens the first one's report, exports it, marks it as the baseline, then compares
// the second run with it; its "Compare…" link keeps the scenario and opens a comparison at once.
// Screenshots of both pages are kept as artefacts.
import { expect, type Page, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

const MS = /^\d+(\.\d+)? (ms|s)$/;

async function runSmoke(page: Page): Promise<string> {
  await page.goto('/load-tests');
  await page.getByTestId('scenario-select').selectOption('smoke');
  await page.getByTestId('vus-input').fill('2');
  // A duration no other spec launches: the noise band below is judged against this spec's runs only
  // (narrow.spec's 4 s smoke runs, finished earlier in a full run, would make it come from history).
  await page.getByTestId('duration-input').fill('3s');
  await page.getByTestId('launch-button').click();
  await expect(page).toHaveURL(/\/load-tests\?run=run_/);
  const panel = page.getByTestId('run-panel');
  // finished whatever the thresholds said (exit 0 or 99); failed would mean k6 itself broke.
  await expect(panel.getByTestId('run-state')).toHaveText('finished', { timeout: 90_000 });
  const id = await panel.getAttribute('data-run-id');
  if (!id) throw new Error('the run panel names no run');
  // An ended run offers a comparison of its own scenario with it as the candidate.
  await expect(panel.getByTestId('run-compare-link')).toHaveAttribute(
    'href',
    `/compare?scenario=smoke&candidate=${id}`,
  );
  return id;
}

test('open a finished run report, export it, mark it as baseline and compare a later run', async ({
  page,
}, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

  await test.step('the compare page says what to do before a scenario has two runs', async () => {
    // Other specs launch smoke runs in the same store; nothing in the e2e suite runs endurance.
    await signIn(page, E2E_USERS.qa, '/compare?scenario=endurance');
    await expect(page.getByTestId('compare-empty')).toContainText('Launch runs from the Load tests page');
    await shot('compare-empty.png');
  });

  const first = await test.step('qa runs a smoke test and opens its report', async () => {
    const id = await runSmoke(page);
    await page.getByTestId('run-report-link').click();
    await expect(page).toHaveURL(new RegExp(`/runs/${id}$`));
    const report = page.getByTestId('run-report');
    await expect(report).toHaveAttribute('data-run-id', id);
    await expect(page.getByTestId('report-requests')).toHaveText(/^[1-9][\d,]*$/);
    await expect(page.getByTestId('report-p95')).toHaveText(MS);
    await expect(page.getByTestId('endpoint-row').first()).toBeVisible();
    await expect(page.getByTestId('threshold-row').first()).toBeVisible();
    await expect
      .poll(async () => Number(await page.getByTestId('report-percentiles').getAttribute('data-points')))
      .toBeGreaterThan(0);
    expect(Number(await page.getByTestId('report-distribution').getAttribute('data-bars'))).toBeGreaterThan(
      0,
    );
    await expect(page.getByTestId('report-log')).toContainText('k6');
    return id;
  });

  await test.step('the exports download with the session; without it they are refused', async () => {
    const html = await page.request.get(`/api/runs/${first}/export?format=html`);
    expect(html.status()).toBe(200);
    expect(html.headers()['content-type']).toMatch(/^text\/html/);
    expect(await html.text()).toContain(first);
    const csv = await page.request.get(`/api/runs/${first}/export?format=csv&table=endpoints`);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^endpoint,requests,/);
    const anonymous = await page.context().browser()!.newContext();
    const refused = await anonymous.request.get(
      new URL(`/api/runs/${first}/export?format=json`, page.url()).toString(),
    );
    expect(refused.status()).toBe(401);
    await anonymous.close();
  });

  await test.step('qa marks it as the scenario baseline', async () => {
    await page.getByTestId('mark-baseline').click();
    await expect(page.getByTestId('baseline-note')).toHaveText(
      /This run is the smoke baseline \(marked by quinn\)/,
    );
    await expect(page.getByTestId('mark-baseline')).toHaveCount(0);
    await shot('run-report.png');
  });

  await test.step('a later run compares with the baseline: overlay, diff and trend', async () => {
    const second = await runSmoke(page);
    await page.goto(`/runs/${second}`);
    await page.getByTestId('compare-baseline').click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?scenario=smoke&base=${first}&candidate=${second}$`));
    await expect(page.getByTestId('compare-scenario')).toHaveValue('smoke');
    await expect
      .poll(async () => Number(await page.getByTestId('compare-overlay').getAttribute('data-points')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect(page.getByTestId('diff-row').first()).toContainText('All requests');
    // The band is stated: fixed while this spec's runs are the only ones with these parameters, from
    // history once a retry of this spec has added more.
    await expect(page.getByTestId('noise-band')).toContainText(
      /Noise band (fixed: fewer than 3 earlier runs|from \d+ earlier comparable runs)/,
    );
    // Two runs on a busy machine may or may not differ beyond noise, but the verdict counts no more
    // worse figures than the table flags (the table adds max and the totals' p90 is not ranked).
    await expect(page.getByTestId('compare-verdict')).toHaveText(
      /^(\d+ figure\(s\) worse(, \d+ better)? beyond noise|\d+ better beyond noise|nothing changed beyond noise)$/,
    );
    const counted = Number(
      /^(\d+) figure/.exec((await page.getByTestId('compare-verdict').textContent()) ?? '')?.[1] ?? 0,
    );
    const flagged = await page.locator('[data-testid="diff-row"] td[data-regression="true"]').count();
    expect(counted).toBeLessThanOrEqual(flagged);
    // "What changed most" is on top, above the overlay and the table.
    const summary = page.getByTestId('biggest-changes');
    await expect(summary).toContainText('What changed most');
    const top = summary.getByTestId('biggest-change');
    expect(await top.count()).toBeLessThanOrEqual(3);
    const summaryY = (await summary.boundingBox())!.y;
    expect(summaryY).toBeLessThan((await page.getByTestId('diff-table').boundingBox())!.y);
    expect(summaryY).toBeLessThan((await page.getByTestId('compare-overlay').boundingBox())!.y);
    // A short smoke has rows with fewer than 30 requests: each says so, with its counts, and has
    // nothing flagged. Judged rows carry no such note.
    const rows = page.getByTestId('diff-row');
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const judged = await row.getAttribute('data-judged');
      if (judged === 'true') {
        await expect(row.getByTestId('judge-note')).toHaveCount(0);
        continue;
      }
      await expect(row.getByTestId('judge-note')).toHaveText(
        /^(too few requests to judge \(\d+ and \d+; at least 30 each\)|only in the (baseline|candidate) run)$/,
      );
      await expect(row.locator('td[data-significant="true"]')).toHaveCount(0);
    }
    // A 2-VU, 3 s smoke makes one sign-up per VU: that endpoint is never judged.
    await expect(rows.filter({ hasText: 'POST /api/auth/register' }).getByTestId('judge-note')).toContainText(
      'too few requests to judge',
    );
    // Every flagged cell's arrow follows its direction and its colour worse/better.
    for (const cell of await page.locator('[data-testid="diff-row"] td[data-significant="true"]').all()) {
      expect(await cell.getAttribute('data-arrow')).toMatch(/^[▲▼]$/);
      expect(await cell.getAttribute('data-tone')).toBe(
        (await cell.getAttribute('data-regression')) === 'true' ? 'worse' : 'better',
      );
    }
    await expect(page.getByTestId('threshold-pairs')).toBeVisible();
    // Both of this spec's runs are in the smoke trend; other specs' smoke runs may be there too.
    await expect
      .poll(async () => Number(await page.getByTestId('trend-latency').getAttribute('data-points')))
      .toBeGreaterThanOrEqual(2);
    await shot('compare.png');

    // A run compared with itself: nothing moved, so nothing may be flagged.
    await page.goto(`/compare?base=${first}&candidate=${first}`);
    await expect(page.getByTestId('diff-row').first()).toContainText('All requests');
    await expect(page.getByTestId('compare-verdict')).toHaveText('nothing changed beyond noise');
    await expect(page.getByTestId('biggest-change')).toHaveCount(0);
    await expect(page.getByTestId('biggest-changes-none')).toBeVisible();
    await expect(page.locator('[data-testid="diff-row"] td[data-significant="true"]')).toHaveCount(0);
    // An old link without the scenario still shows the runs' own scenario.
    await expect(page.getByTestId('compare-scenario')).toHaveValue('smoke');
  });

  await test.step('the baseline run\'s "Compare…" keeps its scenario and compares at once', async () => {
    await page.goto(`/runs/${first}`);
    // The baseline itself offers "Compare…" (not "Compare with baseline").
    await page.getByTestId('compare-link').click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?scenario=smoke&candidate=${first}$`));
    await expect(page.getByTestId('compare-scenario')).toHaveValue('smoke');
    await expect(page.getByTestId('compare-candidate')).toHaveValue(first);
    // No click needed: a base is proposed (the run next to it) and the comparison is on screen.
    await expect(page.getByTestId('compare-base')).not.toHaveValue(first);
    await expect(page.getByTestId('compare-base')).toHaveValue(/^run_/);
    await expect(page.getByTestId('biggest-changes')).toBeVisible();
    await expect(page.getByTestId('diff-row').first()).toContainText('All requests');
  });

  await test.step('a viewer reads the report from the compare page but is offered no baseline button', async () => {
    const context = await page
      .context()
      .browser()!
      .newContext({ baseURL: new URL(page.url()).origin });
    const viewer = await context.newPage();
    await signIn(viewer, E2E_USERS.viewer, '/compare?scenario=smoke');
    await expect
      .poll(async () => Number(await viewer.getByTestId('trend-latency').getAttribute('data-points')))
      .toBeGreaterThanOrEqual(2);
    await viewer.locator(`a[href="/runs/${first}"]`).first().click();
    await expect(viewer.getByTestId('run-report')).toHaveAttribute('data-run-id', first);
    await expect(viewer.getByTestId('report-requests')).toHaveText(/^[1-9][\d,]*$/);
    await expect(viewer.getByTestId('baseline-note')).toContainText('This run is the smoke baseline');
    await expect(viewer.getByTestId('mark-baseline')).toHaveCount(0);
    await context.close();
  });
});
