// Sign-in and roles in the browser: signed-out visitors are sent to sign in, a wrong password is
// refused, a viewer sees no launch form — and the server refuses the launch even when the viewer's
// browser sends it anyway. Signing out ends the session.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

const TARGET = 'http://127.0.0.1:18080';

test('a wrong password is refused on the sign-in page', async ({ page }, testInfo) => {
  await page.goto('/alerts');
  await expect(page).toHaveURL(/\/signin\?next=%2Falerts$/);
  await page.getByTestId('signin-name').fill(E2E_USERS.qa.name);
  await page.getByTestId('signin-password').fill('not-the-password');
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('signin-error')).toHaveText('wrong user name or password');
  await page.screenshot({ path: testInfo.outputPath('signin-refused.png'), fullPage: true });
  await expect(page).toHaveURL(/\/signin/);
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name === 'cs_session')).toEqual([]);
});

test("a viewer can read but the server refuses the viewer's launch", async ({ page }, testInfo) => {
  await signIn(page, E2E_USERS.viewer, '/load-tests');
  const session = (await page.context().cookies()).find((c) => c.name === 'cs_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

  await expect(page.getByTestId('launch-not-allowed')).toBeVisible();
  await expect(page.getByTestId('launch-button')).toHaveCount(0);
  await expect(page.getByTestId('nav-audit')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('viewer-load-tests.png'), fullPage: true });

  // What a hand-crafted request from the viewer's own browser gets: the session cookie rides along.
  const refused = await page.evaluate(async (target) => {
    const res = await fetch('/api/trpc/runs.launch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trpc-source': 'dashboard' },
      body: JSON.stringify({ scenario: 'smoke', params: { vus: 1, duration: '5s', target } }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { error: { message: string; data: { code: string } } },
    };
  }, TARGET);
  expect(refused.status).toBe(403);
  expect(refused.body.error.data.code).toBe('FORBIDDEN');
  expect(refused.body.error.message).toMatch(/needs the qa role/);

  const audit = await page.request.get('/api/trpc/audit.list?input=%7B%7D');
  expect(audit.status()).toBe(403);

  await page.getByTestId('user-menu').locator('summary').click();
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/signin$/);
  const after = await page.request.get('/api/trpc/runs.list');
  expect(after.status()).toBe(401);
});
