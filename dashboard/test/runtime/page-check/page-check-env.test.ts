// The page check's settings: validated with the rest of the dashboard's environment, and pages
// only on allowlisted targets.
import { describe, expect, it } from 'vitest';
import { EnvError, parseDashboardEnv } from '../../../src/env.ts';
import { pageCheckUrls } from '../../../src/runtime/page-check/start-page-check.ts';

describe('page check settings', () => {
  it("defaults to a check of the target's home page every 60 s", () => {
    const env = parseDashboardEnv({ TARGET_URL: 'http://127.0.0.1:9090/' });
    expect(env.PAGE_CHECK_INTERVAL).toBe(60);
    expect(env.PAGE_CHECK_TIMEOUT).toBe(30);
    expect(env.PAGE_CHECK_CHROMIUM).toBe('/usr/bin/chromium');
    expect(pageCheckUrls(env)).toEqual(['http://127.0.0.1:9090/']);
  });

  it('takes a list of pages and 0 to switch the check off', () => {
    const env = parseDashboardEnv({
      PAGE_CHECK_INTERVAL: '0',
      PAGE_CHECK_URLS: 'http://127.0.0.1:8080/, http://127.0.0.1:8080/cars/1',
    });
    expect(env.PAGE_CHECK_INTERVAL).toBe(0);
    expect(pageCheckUrls(env)).toEqual(['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/cars/1']);
  });

  it('rejects bad values naming the variable', () => {
    expect(() => parseDashboardEnv({ PAGE_CHECK_INTERVAL: 'often' })).toThrow(
      /PAGE_CHECK_INTERVAL: must be a number of seconds/,
    );
    expect(() => parseDashboardEnv({ PAGE_CHECK_INTERVAL: '-1' })).toThrow(EnvError);
    expect(() => parseDashboardEnv({ PAGE_CHECK_TIMEOUT: '3' })).toThrow(
      /PAGE_CHECK_TIMEOUT: must be at least 10/,
    );
    expect(() => parseDashboardEnv({ PAGE_CHECK_URLS: 'file:///etc/passwd' })).toThrow(/PAGE_CHECK_URLS/);
  });

  it('refuses pages outside the load-test allowlist', () => {
    const env = parseDashboardEnv({ PAGE_CHECK_URLS: 'http://127.0.0.1:8080/,https://example.com/' });
    expect(() => pageCheckUrls(env)).toThrow(
      /PAGE_CHECK_URLS: https:\/\/example.com\/ is not on an allowlisted target/,
    );
  });
});
