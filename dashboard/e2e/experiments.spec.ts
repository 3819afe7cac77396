// Experiments in the UI (issue 23): a qa user opens Experiments from the nav, launches the shipped
// plan cut down to two variants (before-plan, after-plan) with short runs, sees its live progress
// (variant, repeat, current run linked), stops it, and finds it stopped in the list with its runs
// linked; a viewer sees the list and no launch form.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

test('qa launches an experiment, watches its progress and stops it', async ({ page, browser }) => {
  await signIn(page, E2E_USERS.qa, '/');
  await page.getByTestId('nav-experiments').click();
  await expect(page).toHaveURL(/\/experiments$/);
  const form = page.getByTestId('experiment-launch-form');
  await expect(form).toBeVisible();

  // Out of bounds: the server's refusal, as it says it.
  await page.getByTestId('experiment-repeats').fill('50');
  await page.getByTestId('experiment-launch').click();
  await expect(page.getByTestId('experiment-launch-error')).toContainText('repeats');

  await page.getByTestId('experiment-repeats').fill('2');
  await page.getByTestId('experiment-duration').fill('30s');
  await page.getByTestId('experiment-vus').fill('2');
  await page.getByTestId('experiment-warmup').fill('0');
  const boxes = form.locator('input[type="checkbox"]');
  for (const box of await boxes.all()) {
    const id = await box.getAttribute('data-testid');
    if (id !== 'experiment-variant-before-plan' && id !== 'experiment-variant-after-plan')
      await box.uncheck();
  }
  await expect(form).toContainText('4 runs of 30s');
  await page.getByTestId('experiment-launch').click();
  await expect(page).toHaveURL(/\/experiments\?id=exp_/);
  const id = new URL(page.url()).searchParams.get('id') ?? '';

  // Live progress over SSE: the variant, the repeat, the current run, linked to its report.
  const progress = page.getByTestId('experiment-progress');
  await expect(progress).toHaveAttribute('data-experiment', id);
  await expect(page.getByTestId('experiment-position')).toContainText(
    /variant (before|after)-plan, repeat 1 \/ 2 · run 1 of 4/,
  );
  const current = page.getByTestId('experiment-current-run');
  await expect(current).toContainText('running', { timeout: 30_000 });
  await expect(current.getByRole('link')).toHaveAttribute('href', /^\/runs\/run_/);
  await expect(page.getByTestId('experiment-launch-form')).toHaveCount(0);

  await page.getByTestId('experiment-stop').click();
  await expect(progress).toHaveCount(0, { timeout: 40_000 });
  const row = page.locator(`[data-testid="experiment-row"][data-id="${id}"]`);
  await expect(row).toHaveAttribute('data-state', 'stopped');
  await expect(page.getByTestId('experiment-results').getByTestId('experiment-state')).toHaveAttribute(
    'data-state',
    'stopped',
  );
  await expect(page.getByTestId('experiment-reason')).toBeVisible();

  // A viewer reads the list, without the launch form.
  const viewer = await browser.newPage();
  await signIn(viewer, E2E_USERS.viewer, '/experiments');
  await expect(viewer.locator(`[data-testid="experiment-row"][data-id="${id}"]`)).toBeVisible();
  await expect(viewer.getByTestId('experiment-launch-form')).toHaveCount(0);
  await viewer.close();
});

test('a finished experiment shows its verdicts, chart and the scores beside 47 and 95', async ({ page }) => {
  await signIn(page, E2E_USERS.qa, '/experiments');
  const form = page.getByTestId('experiment-launch-form');
  await page.getByTestId('experiment-repeats').fill('2');
  await page.getByTestId('experiment-duration').fill('4s');
  await page.getByTestId('experiment-vus').fill('2');
  await page.getByTestId('experiment-warmup').fill('0');
  const keep = ['before-plan', 'after-plan', 'without-response-cache'].map((v) => `experiment-variant-${v}`);
  for (const box of await form.locator('input[type="checkbox"]').all())
    if (!keep.includes((await box.getAttribute('data-testid')) ?? '')) await box.uncheck();
  await page.getByTestId('experiment-launch').click();
  await expect(page).toHaveURL(/\/experiments\?id=exp_/);
  const results = page.getByTestId('experiment-results');
  await expect(results.getByTestId('experiment-state')).toHaveAttribute('data-state', 'finished', {
    timeout: 150_000,
  });
  const row = page.locator('[data-testid="optimisation-row"][data-name="Redis caching (response cache)"]');
  await expect(row).toContainText('Redis caching 70 % response time reduction');
  await expect(row.getByTestId('verdict')).toHaveAttribute(
    'data-verdict',
    /^(confirmed|smaller|none|worse|no data)$/,
  );
  await expect(page.getByTestId('score-before')).toContainText('47');
  await expect(page.getByTestId('score-after')).toContainText('95');
  await expect(page.getByTestId('experiment-variants').getByTestId('variant-row')).toHaveCount(3);
  await expect(page.getByTestId('experiment-chart').locator('svg.recharts-surface')).toBeVisible();
  await expect(page.getByTestId('experiment-runs').getByTestId('experiment-run')).toHaveCount(6);
});
