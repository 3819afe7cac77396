// Ingest API keys: when keys are configured, every POST (the OTLP endpoints and any later ingest
// route) needs one, as `Authorization: Bearer <key>` or `x-api-key: <key>`. Checked in onRequest,
// before the body is read, so a refused request decodes and writes nothing. /ready, /health and
// /metrics stay open for probes and scrapers. Keys are compared as SHA-256 digests with
// timingSafeEqual against every configured key, so timing reveals neither a key nor which matched.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { statusResponse } from './otlp-response.ts';
import { encodingOf } from './request-body.ts';

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** The key a request presents, or null. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1]!;
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : null;
}

export function keyMatcher(keys: readonly string[]): (presented: string | null) => boolean {
  const digests = keys.map(digest);
  return (presented) => {
    const candidate = digest(presented ?? '');
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, candidate) || ok;
    return ok && presented !== null;
  };
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * What to warn at start when the receiver listens beyond this machine without keys: then anyone
 * who reaches the port writes telemetry (and can make alert rules fire or stay quiet). Null if fine.
 */
export function openIngestWarning(host: string, keys: readonly string[]): string | null {
  if (keys.length > 0 || isLoopback(host)) return null;
  return `warning: OTLP receiver on ${host} (not loopback) without COLLECTOR_API_KEYS: anyone who can reach it can write telemetry; set COLLECTOR_API_KEYS (and give the senders a key)`;
}

export function requireApiKeys(
  app: FastifyInstance,
  keys: readonly string[],
  onDenied: (request: FastifyRequest, why: string) => void,
): void {
  if (keys.length === 0) return;
  const matches = keyMatcher(keys);
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    if (matches(presentedKey(request.headers))) return;
    const missing = presentedKey(request.headers) === null;
    const why = missing
      ? 'missing API key: send Authorization: Bearer <key> or x-api-key'
      : 'invalid API key';
    onDenied(request, why);
    const { contentType, body } = statusResponse(
      encodingOf(request.headers['content-type']),
      16, // google.rpc.Code UNAUTHENTICATED
      why,
    );
    // Not reading the body: close the connection so an unread upload is not kept.
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="collector"')
      .header('connection', 'close')
      .header('content-type', contentType)
      .send(body);
  });
}
