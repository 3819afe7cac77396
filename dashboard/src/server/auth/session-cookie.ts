// Session cookies: a small signed token (HMAC-SHA256 over the payload) so sessions survive a
// restart and need no session table. A local user's role is not trusted from the cookie: each
// request looks the user up in the current configuration; an OIDC user's role is the one their
// identity provider's claims gave at sign-in. Sign-out revokes the session id until it expires.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from '../../lib/roles.ts';

export const SESSION_COOKIE = 'cs_session';

const payloadSchema = z.object({
  sid: z.string().min(16),
  name: z.string().min(1),
  exp: z.number().int(),
  /** Set for users signed in through OIDC (local users' roles come from the configuration). */
  idp: z.literal('oidc').optional(),
  role: z.enum(ROLES).optional(),
});
export type SessionPayload = z.infer<typeof payloadSchema>;

function sign(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
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

export function encodeSession(payload: SessionPayload, secret: string): string {
  return signToken(payload, secret);
}

export function decodeSession(token: string, secret: string, nowMs = Date.now()): SessionPayload | null {
  return verifyToken(token, secret, payloadSchema, nowMs);
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
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
