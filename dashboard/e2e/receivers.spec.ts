// Alert receivers in the UI: an admin adds a webhook receiver pointing at a loopback HTTP server,
// sends it a test notification and sees the server's answer, edits it (the new URL answers) and
// removes it; the routing file's receivers are listed read-only with where they come from; the URL
// is never shown back. A viewer has no Receivers entry, no add button, and the server refuses them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

let hook: Server;
let hookUrl: string;
const paths: string[] = [];

test.beforeAll(async () => {
  hook = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '/');
      const body = req.url?.startsWith('/v2') ? 'second hook says hi' : 'first hook: accepted';
      res.writeHead(req.url?.startsWith('/v2') ? 200 : 202, { 'content-type': 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => hook?.close(resolve));
});

test('an admin adds a webhook receiver, tests it, edits and removes it', async ({ page }, testInfo) => {
  const name = `e2e-hook-${Date.now()}`;
  const secretPath = '/v1/hooks/S3CRET-e2e-token';
  await signIn(page, E2E_USERS.admin, '/');
  await page.getByTestId('nav-receivers').click();
  await expect(page).toHaveURL(/\/receivers$/);

  // The routing file's receivers: read-only, with their source.
  const fileHook = page.locator('[data-testid="receiver-row"][data-name="webhook"]');
  await expect(fileHook).toHaveAttribute('data-source', 'file');
  await expect(fileHook.getByTestId('receiver-source')).toContainText(
    'routing file alert-rules/routing.yaml',
  );
  await expect(fileHook.getByTestId('receiver-edit')).toHaveCount(0);
  // ALERT_WEBHOOK_URL is unset here: it is marked off, with nothing to test.
  await expect(fileHook.getByTestId('receiver-problem')).toContainText('ALERT_WEBHOOK_URL is not set');
  await expect(fileHook.getByTestId('receiver-test')).toHaveCount(0);

  // A Slack URL over http is refused with the reason; nothing is added.
  await page.getByTestId('receiver-name').fill(name);
  await page.getByTestId('receiver-kind').selectOption('slack');
  await page.getByTestId('receiver-secret').fill('http://hooks.slack.com/services/x');
  await page.getByTestId('receiver-add').click();
  await expect(page.getByTestId('receiver-error')).toContainText(
    'a Slack incoming-webhook URL starts with https://',
  );
  await expect(page.locator(`[data-testid="receiver-row"][data-name="${name}"]`)).toHaveCount(0);

  await page.getByTestId('receiver-kind').selectOption('webhook');
  await page.getByTestId('receiver-secret').fill(`${hookUrl}${secretPath}`);
  await page.getByTestId('receiver-add').click();
  const row = page.locator(`[data-testid="receiver-row"][data-name="${name}"]`);
  await expect(row).toHaveAttribute('data-source', 'ui');
  await expect(row.getByTestId('receiver-hint')).toHaveText(`${new URL(hookUrl).host}/…`);
  await expect(row.getByTestId('receiver-source')).toContainText(
    `added in the UI by ${E2E_USERS.admin.name}`,
  );
  await expect(page.getByTestId('receiver-secret')).toHaveValue('');

  await row.getByTestId('receiver-test').click();
  await expect(row.getByTestId('receiver-test-answer')).toHaveText('Test: HTTP 202 · first hook: accepted');
  expect(paths).toContain(secretPath);
  await page.screenshot({ path: testInfo.outputPath('receiver-tested.png'), fullPage: true });

  // Never shown back, also not after a reload.
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.content()).not.toContain('S3CRET-e2e-token');

  // Edit: a new URL, severity page only; the test now reaches the new URL.
  await row.getByTestId('receiver-edit').click();
  await expect(page.getByTestId('receiver-name')).toHaveValue(name);
  await page.getByTestId('receiver-secret').fill(`${hookUrl}/v2/hook`);
  await page.getByTestId('receiver-severity').selectOption('page');
  await page.getByTestId('receiver-save').click();
  await expect(row).toContainText('severity page');
  await expect(row.getByTestId('receiver-source')).toContainText(`changed by ${E2E_USERS.admin.name}`);
  await row.getByTestId('receiver-test').click();
  await expect(row.getByTestId('receiver-test-answer')).toHaveText('Test: HTTP 200 · second hook says hi');

  await row.getByTestId('receiver-remove').click();
  await expect(row).toHaveCount(0);

  await page.goto('/audit?action=receiver.remove');
  await expect(page.getByTestId('audit-row').first()).toContainText(E2E_USERS.admin.name);
});

test('a viewer has no Receivers page and the server refuses them', async ({ page }) => {
  await signIn(page, E2E_USERS.viewer, '/');
  await expect(page.getByTestId('nav-receivers')).toHaveCount(0);
  await page.goto('/receivers');
  await expect(page.getByTestId('receivers-not-allowed')).toBeVisible();
  await expect(page.getByTestId('receiver-add')).toHaveCount(0);
  // The page hides it; the server is the guard (the viewer's own session cookie).
  const listed = await page.request.get('/api/trpc/receivers.list');
  expect(listed.status()).toBe(403);
  const added = await page.request.post('/api/trpc/receivers.add', {
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'e2e' },
    data: { kind: 'webhook', name: 'viewer-hook', url: `${hookUrl}/viewer` },
  });
  expect(added.status()).toBe(403);
  expect(paths).not.toContain('/viewer');
});
