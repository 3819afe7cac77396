// Issue 15's browser-side attacks against the real dashboard in Chromium: an open redirect through
// sign-in's `next=` (tab/CR/LF that browsers drop), and pages that ran injected script or could be
// framed (Content-Security-Policy with per-response nonces, frame-ancestors, nosniff, Referrer-Policy).
import { expect, type Page, test } from '@playwright/test';
import { E2E_USERS } from './support/users.ts';

const DASHBOARD = 'http://127.0.0.1:13000';

async function signInFrom(page: Page, signinUrl: string) {
  await page.goto(signinUrl);
  await page.getByTestId('signin-name').fill(E2E_USERS.viewer.name);
  await page.getByTestId('signin-password').fill(E2E_USERS.viewer.password);
  await page.getByTestId('signin-submit').click();
}

test('sign-in never sends the browser to another site through next=', async ({ browser }) => {
  for (const next of [
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/\r\n/evil.example/',
    '/\\\t\\evil.example/',
  ]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const offSite: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(DASHBOARD)) offSite.push(req.url());
    });
    await signInFrom(page, `/signin?next=${encodeURIComponent(next)}`);
    await expect(page.getByTestId('user-name')).toHaveText(E2E_USERS.viewer.name);
    expect(new URL(page.url()).origin).toBe(DASHBOARD);
    expect(offSite).toEqual([]);
    await context.close();
  }
});

test('every page carries a nonce CSP that stops injected script and framing', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signInFrom(page, '/signin?next=%2Falerts');
  await expect(page.getByTestId('user-name')).toHaveText(E2E_USERS.viewer.name);

  // The headers of every kind of HTML answer: pages, the sign-in page, a page and an API path
  // that do not exist.
  const anonymous = await browser.newContext();
  for (const [client, path] of [
    [page.request, '/'],
    [page.request, '/alerts'],
    [page.request, '/runs'],
    [page.request, '/no-such-page'],
    [page.request, '/api/no-such-route'],
    [anonymous.request, '/signin'],
  ] as const) {
    const res = await client.get(path, { maxRedirects: 0 });
    const headers = res.headers();
    expect(headers['content-type'], path).toMatch(/text\/html/);
    const csp = headers['content-security-policy'] ?? '';
    expect(csp, path).toMatch(/frame-ancestors 'none'/);
    expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, `${path}: a nonce in script-src`).toBeTruthy();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBeTruthy();
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  }
  await anonymous.close();
  // The app itself ran under the policy without a single violation.
  expect(violations).toEqual([]);

  // Markup injected into the page (what an HTML injection would do) does not run its handler.
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.innerHTML = '<img src="data:," onerror="window.__injected = \'handler\'">';
    document.body.append(box);
  });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as { __injected?: string }).__injected ?? null)).toBeNull();

  // Another site framing the dashboard (clickjacking) gets no page in its frame.
  const framer = await context.newPage();
  await framer.setContent(`<iframe id="victim" src="${DASHBOARD}/alerts" width="800" height="600"></iframe>`);
  await framer.waitForTimeout(2_000);
  const frame = framer.frames().find((f) => f !== framer.mainFrame());
  expect(await frame?.locator('[data-testid="user-name"]').count()).toBe(0);
  await context.close();
});
