// Session cookies: the session's random id, MAC'd with the session key so a made-up or garbled
// cookie is refused without a store lookup. Everything else — who, which role, whether it was
// signed out — lives in the server-side record (session-store.ts), never in the cookie.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

export const SESSION_COOKIE = 'cs_session';
const SESSION_PURPOSE = 'session-id';

function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/** `<base64url JSON>.<HMAC>`; `purpose` keys the MAC so one kind of token never passes for another. */
export function signToken(payload: object, secret: string, purpose = 'session'): string {
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(data, `${purpose}:${secret}`)}`;
}

/** The payload of a well-signed token that fits `schema` and has not expired (`exp`), or null. */
export function verifyToken<T extends { exp: number }>(
  token: string,
  secret: string,
  schema: z.ZodType<T>,
  nowMs = Date.now(),
  purpose = 'session',
): T | null {
  const [data, mac, extra] = token.split('.');
  if (!data || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(data, `${purpose}:${secret}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(data, 'base64url').toString('utf8')));
    if (!parsed.success || parsed.data.exp <= nowMs) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

/** A new session id and the cookie value that carries it. */
export function newSessionToken(secret: string): { id: string; token: string } {
  const id = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${sign(id, `${SESSION_PURPOSE}:${secret}`)}` };
}

/** The session id in a well-MAC'd cookie value, or null (made up, garbled, another key). */
export function sessionIdOf(token: string, secret: string): string | null {
  const [id, mac, extra] = token.split('.');
  if (!id || !mac || extra !== undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const expected = Buffer.from(sign(id, `${SESSION_PURPOSE}:${secret}`));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A garbled escape ("%E0%A4%A") is a cookie nobody signed: no value, not an error.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

export function sessionSetCookie(token: string, options: CookieOptions, name = SESSION_COOKIE): string {
  return [
    `${name}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookie(secure: boolean, name = SESSION_COOKIE): string {
  return [`${name}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join(
    '; ',
  );
}
