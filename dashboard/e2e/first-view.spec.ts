// The Overview's first view is read on the server (app/page.tsx through trpc/server.ts's caller of
// the app router) and arrives in the HTML, before any script runs: the traffic figures, the scores
// and the alert engine's snapshot. A server caller that fails leaves only placeholders
// ("connecting…"), which the live streams would later hide in a browser — so this reads the HTML.
import { expect, test } from '@playwright/test';
import { E2E_USERS, signIn } from './support/users.ts';

test("the Overview's HTML carries the server-read traffic, scores and alerts", async ({ page }) => {
  await signIn(page, E2E_USERS.viewer, '/?range=5m');
  // The page's own request, with the session cookie the sign-in set.
  const html = async () => {
    const res = await page.request.get('/?range=5m');
    expect(res.status()).toBe(200);
    return res.text();
  };
  // Each snapshot has 1.5 s to arrive (FIRST_VIEW_TIMEOUT_MS); a busy store may miss that once.
  await expect
    .poll(
      async () => {
        const text = await html();
        return {
          traffic: /data-testid="traffic-status"[^>]*>live, updated \d\d:\d\d:\d\d</.test(text),
          scores: text.includes('data-testid="overall-score"'),
          alerts: text.includes('data-testid="no-active-alerts"')
            ? !text.includes('Connecting to the alert engine')
            : text.includes('data-testid="active-alerts"'),
        };
      },
      { timeout: 30_000, intervals: [500, 2000] },
    )
    .toEqual({ traffic: true, scores: true, alerts: true });
});
