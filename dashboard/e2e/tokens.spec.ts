// API tokens in the UI: an admin creates one (its secret shown once, gone after a reload), it works
// as a Bearer credential with its role, the admin revokes it and it is refused; a qa user has no
// Tokens page.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

test('an admin creates a token (shown once) and revokes it', async ({ page, request, browser }, testInfo) => {
  const name = `e2e-ci-${Date.now()}`;
  await signIn(page, E2E_USERS.admin, '/tokens');
  await page.getByTestId('token-name').fill(name);
  await page.getByTestId('token-role').selectOption('qa');
  await page.getByTestId('token-expiry').selectOption('7');
  await page.getByTestId('token-create').click();
  const secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^cpt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
  const row = page.locator(`[data-testid="token-row"][data-name="${name}"]`);
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row).toContainText('qa');
  await page.screenshot({ path: testInfo.outputPath('token-created.png'), fullPage: true });

  // The token acts as a qa service account on the API.
  const me = await request.get('/api/trpc/auth.me', { headers: { authorization: `Bearer ${secret}` } });
  expect(await me.json()).toMatchObject({ result: { data: { name: `token:${name}`, role: 'qa' } } });

  // Shown once: after a reload the page holds no trace of the secret.
  await page.reload();
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('token-shown')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret.slice(-43));

  await row.getByTestId('token-revoke').click();
  await expect(row).toHaveAttribute('data-state', 'revoked');
  await expect(row).toContainText(`revoked by ${E2E_USERS.admin.name}`);
  const refused = await request.get('/api/trpc/runs.list', {
    headers: { authorization: `Bearer ${secret}` },
  });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toBe(
    `API token "${name}" was revoked by ${E2E_USERS.admin.name}`,
  );
  await page.screenshot({ path: testInfo.outputPath('token-revoked.png'), fullPage: true });

  await page.goto('/audit?action=token.use');
  await expect(page.getByTestId('audit-row').first()).toContainText(`token:${name}`);

  const qa = await browser.newPage();
  await signIn(qa, E2E_USERS.qa, '/');
  await expect(qa.getByTestId('nav-tokens')).toHaveCount(0);
  await qa.goto('/tokens');
  await expect(qa.getByTestId('tokens-not-allowed')).toBeVisible();
  await qa.close();
});
