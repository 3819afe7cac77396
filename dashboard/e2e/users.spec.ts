// Users in the UI: an admin creates a user on the Users page (its generated password shown once),
// the user signs in, the admin changes the role and disables the user — which ends the user's
// session and refuses the next sign-in like a wrong password; environment users are read-only.
// A viewer gets no Users link and no users.
import { expect, type Page, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

async function signInAs(page: Page, name: string, password: string) {
  await page.goto('/signin');
  await page.getByTestId('signin-name').fill(name);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

test('an admin creates a user (password shown once), changes its role and disables it', async ({
  page,
  browser,
}, testInfo) => {
  const name = `e2e-user-${Date.now()}`;
  await signIn(page, E2E_USERS.admin, '/users');
  const envRow = page.locator(`[data-testid="user-row"][data-name="${E2E_USERS.qa.name}"]`);
  await expect(envRow).toHaveAttribute('data-source', 'environment');
  await expect(envRow.getByTestId('user-source')).toHaveText('environment (DASHBOARD_USERS), read-only');
  await expect(envRow.getByTestId('user-disable')).toHaveCount(0);

  // A password under 12 characters is refused with the reason, and nothing is made.
  await page.getByTestId('new-user-name').fill(name);
  await page.getByTestId('new-user-role').selectOption('viewer');
  await page.getByTestId('new-user-password').fill('too-short');
  // The server's rule is under test, not the browser's form check.
  await page.getByTestId('new-user-password').evaluate((input) => input.removeAttribute('minlength'));
  await page.getByTestId('new-user-create').click();
  await expect(page.getByTestId('user-error')).toContainText('a password has at least 12 characters');
  await expect(page.locator(`[data-testid="user-row"][data-name="${name}"]`)).toHaveCount(0);

  await page.getByTestId('new-user-password').fill('');
  await page.getByTestId('new-user-create').click();
  const password = (await page.getByTestId('user-secret').textContent())?.trim() ?? '';
  expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
  const row = page.locator(`[data-testid="user-row"][data-name="${name}"]`);
  await expect(row).toHaveAttribute('data-state', 'enabled');
  await expect(row).toHaveAttribute('data-source', 'ui');
  await expect(row.getByTestId('user-source')).toContainText(`UI, by ${E2E_USERS.admin.name}`);
  await page.screenshot({ path: testInfo.outputPath('user-created.png'), fullPage: true });

  // Shown once: after a reload the page holds no trace of the password.
  await page.reload();
  await expect(row).toHaveAttribute('data-state', 'enabled');
  await expect(page.getByTestId('user-password-shown')).toHaveCount(0);
  expect(await page.content()).not.toContain(password);

  const user = await browser.newPage();
  await signInAs(user, name, password);
  await expect(user.getByTestId('user-name')).toHaveText(name);
  await expect(user.getByTestId('user-role')).toHaveText('viewer');

  await row.getByTestId('user-row-role').selectOption('qa');
  await expect(row.getByTestId('user-row-role')).toHaveValue('qa');
  // The role change ended the user's session: the next page load asks for a sign-in.
  await user.goto('/');
  await expect(user).toHaveURL(/\/signin/);
  await signInAs(user, name, password);
  await expect(user.getByTestId('user-role')).toHaveText('qa');

  await row.getByTestId('user-disable').click();
  await expect(row).toHaveAttribute('data-state', 'disabled');
  await page.screenshot({ path: testInfo.outputPath('user-disabled.png'), fullPage: true });
  await user.goto('/');
  await expect(user).toHaveURL(/\/signin/);
  await signInAs(user, name, password);
  await expect(user.getByTestId('signin-error')).toHaveText('wrong user name or password');
  await user.close();

  await page.goto('/audit?action=user.disable');
  await expect(page.getByTestId('audit-row').first()).toContainText(name);
});

test('a viewer has no Users page', async ({ page }) => {
  await signIn(page, E2E_USERS.viewer, '/');
  await expect(page.getByTestId('nav-tokens')).toHaveCount(0);
  await expect(page.getByTestId('nav-users')).toHaveCount(0);
  await page.goto('/users');
  await expect(page.getByTestId('users-not-allowed')).toBeVisible();
  const refused = await page.request.get('/api/trpc/users.list');
  expect(refused.status()).toBe(403);
});
