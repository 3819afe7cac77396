// The web pages over Fastify's inject: HTML with a CSP that admits exactly its inline script and
// style (a browser would refuse to run them otherwise), and a 400 for a car id that is not one.
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { SEARCH_PAGE_SIZE } from '../../src/web/search-page.ts';
import { registerWebPages } from '../../src/web/web-pages.ts';

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  registerErrorHandling(app);
  registerWebPages(app);
  await app.ready();
});

afterAll(() => app.close());

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const inline = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

function expectCspAdmitsInlineBlocks(html: string, csp: string) {
  const scripts = inline(html, 'script');
  const styles = inline(html, 'style');
  expect(scripts).toHaveLength(1);
  expect(styles).toHaveLength(1);
  expect(csp).toContain(`script-src ${hashOf(scripts[0]!)}`);
  expect(csp).toContain(`style-src ${hashOf(styles[0]!)}`);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("connect-src 'self'");
}

describe('web pages', () => {
  it('serves the search page: a form, placeholder cards, and a script the CSP admits', async () => {
    const response = await app.inject({ method: 'GET', url: '/?make=BMW' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<form class="search" role="search"');
    expect(html.match(/class="card skeleton"/g)).toHaveLength(SEARCH_PAGE_SIZE);
    expect(html).toContain("getJson('/api/cars?'+q)");
    // No external assets: nothing is loaded from anywhere but this document and /api.
    expect(html).not.toMatch(/<(link|img|script) [^>]*(src|href)=/);
    expectCspAdmitsInlineBlocks(html, String(response.headers['content-security-policy']));
  });

  it("serves a car's page with its id for the script, the same script for every car", async () => {
    const first = await app.inject({ method: 'GET', url: '/cars/42' });
    const second = await app.inject({ method: 'GET', url: '/cars/7' });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<body data-car-id="42">');
    expect(second.body).toContain('<body data-car-id="7">');
    expect(first.headers['content-security-policy']).toBe(second.headers['content-security-policy']);
    expectCspAdmitsInlineBlocks(first.body, String(first.headers['content-security-policy']));
  });

  it('answers 400 with the field for an id that is not a positive whole number', async () => {
    for (const bad of ['abc', '0', '-3', '1.5', '99999999999']) {
      const response = await app.inject({ method: 'GET', url: `/cars/${bad}` });
      expect(response.statusCode, bad).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid car id', issues: [{ path: 'id' }] });
    }
  });
});
