// Client text must be text PostgreSQL and bcrypt can take: no NUL character (PostgreSQL refuses it in
// text, bcrypt stops reading the password there), valid Unicode (no lone UTF-16 surrogates), and
// percent-encoding or body bytes that decode as UTF-8. Anything else is answered 400 with the reason
// here, before any handler runs, instead of a 500 from the database or a silently altered value.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError, type Issue } from './errors.ts';

// A JSON body is at most 64 KiB (app.ts), so this only bounds pathological nesting.
const MAX_DEPTH = 64;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which is not accepted in text';
  if (!text.isWellFormed()) return 'is not valid Unicode text (it contains a lone UTF-16 surrogate)';
  return undefined;
}

function collectTextIssues(value: unknown, path: string, issues: Issue[], depth = 0): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem !== undefined) issues.push({ path, message: problem });
    return;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = textProblem(key);
    if (keyProblem !== undefined) issues.push({ path, message: `a field name ${keyProblem}` });
    collectTextIssues(item, path === '' ? key : `${path}.${key}`, issues, depth + 1);
  }
}

function decodes(component: string): boolean {
  try {
    decodeURIComponent(component);
    return true;
  } catch {
    return false;
  }
}

/**
 * The query parser keeps an escape it cannot decode as the literal text (`%ff` stays "%ff"), so a
 * bad escape is only visible in the raw query: each name and value must decode as UTF-8
 * (decodeURIComponent refuses stray bytes, truncated and overlong sequences, and encoded surrogates).
 */
function rawQueryIssues(url: string): Issue[] {
  const start = url.indexOf('?');
  if (start === -1 || !url.includes('%', start)) return [];
  const issues: Issue[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    if (!pair.includes('%')) continue;
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    if (!decodes(name) || (equals !== -1 && !decodes(pair.slice(equals + 1)))) {
      issues.push({
        path: `query.${name}`,
        message: `invalid percent-encoding in '${pair.slice(0, 100)}': escapes must spell UTF-8 text`,
      });
    }
  }
  return issues;
}

function checkRequestText(request: FastifyRequest): void {
  const issues = rawQueryIssues(request.url);
  if (issues.length === 0) {
    collectTextIssues(request.query, 'query', issues);
    collectTextIssues(request.params, 'params', issues);
  }
  if (issues.length > 0) throw new InputError('invalid text in the request', issues);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Registers the checks on the root instance, so every route (API, admin, pages) has them. */
export function registerTextInputChecks(app: FastifyInstance): void {
  // Fastify's JSON parser reads the body as lenient UTF-8 (stray bytes become U+FFFD): decode strictly
  // first, then hand the text to that same parser (prototype-poisoning checks included), then check
  // the strings. Only JSON: a raw upload (an image) is bytes, judged by its own route.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(
        new InputError('invalid JSON body: not UTF-8 text', [
          { path: 'body', message: 'contains bytes that are not UTF-8 (send the JSON encoded as UTF-8)' },
        ]),
        undefined,
      );
      return;
    }
    parseJson(request, text, (error, value) => {
      if (error !== null) return done(error, undefined);
      const issues: Issue[] = [];
      collectTextIssues(value, 'body', issues);
      if (issues.length > 0) return done(new InputError('invalid text in the request', issues), undefined);
      done(null, value);
    });
  });
  app.addHook('preValidation', async (request) => checkRequestText(request));
}
