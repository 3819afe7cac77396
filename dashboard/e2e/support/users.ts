// The e2e users (one per role) and signing in through the real sign-in page. playwright.config.ts
// hashes these passwords into the dashboard's DASHBOARD_USERS.
import { expect, type Page } from '@playwright/test';

export const E2E_USERS = {
  viewer: { name: 'vera', role: 'viewer', password: 'vera-viewer-e2e' },
  qa: { name: 'quinn', role: 'qa', password: 'quinn-qa-e2e' },
  admin: { name: 'ada', role: 'admin', password: 'ada-admin-e2e' },
} as const;

export type E2EUser = (typeof E2E_USERS)[keyof typeof E2E_USERS];

/** Opens `path` signed out, is sent to the sign-in page, signs in and lands back on `path`. */
export async function signIn(page: Page, user: E2EUser, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByTestId('signin-name').fill(user.name);
  await page.getByTestId('signin-password').fill(user.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('user-name')).toHaveText(user.name);
  await expect(page.getByTestId('user-role')).toHaveText(user.role);
  await expect
    .poll(() => {
      const url = new URL(page.url());
      return `${url.pathname}${url.search}`;
    })
    .toBe(path);
}
