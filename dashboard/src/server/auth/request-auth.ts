// Who an API request comes from — the one place both credentials are resolved, for the tRPC
// endpoint and the REST routes alike: `Authorization: Bearer <API token>` (then the cookie is not
// read), else the session cookie. Every use of a token is audited, and so is each refusal of a
// token that exists (revoked, expired); a refusal carries a one-line reason for the 401.
import type { SessionUser } from '../../lib/roles.ts';
import type { Services } from '../services.ts';
import type { ApiTokenRecord, TokenCheck } from './api-tokens.ts';

export type RequestAuth =
  | { type: 'session'; user: SessionUser }
  | { type: 'token'; user: SessionUser; tokenId: string }
  | { type: 'anonymous' }
  | { type: 'refused'; reason: string };

/** The name a token acts under in the audit log and in "launched by". */
export const tokenActor = (token: Pick<ApiTokenRecord, 'name'>) => `token:${token.name}`;

function refusalText(check: Exclude<TokenCheck, { type: 'ok' }>): string {
  switch (check.reason) {
    case 'malformed':
      return 'malformed API token: expected Authorization: Bearer cpt_…';
    case 'unknown':
      return 'unknown API token';
    case 'revoked':
      return `API token "${check.token.name}" was revoked${check.token.revokedBy ? ` by ${check.token.revokedBy}` : ''}`;
    case 'expired':
      return `API token "${check.token.name}" expired at ${new Date(check.token.expiresAt).toISOString()}`;
    default: {
      const unknown: never = check;
      throw new Error(`unknown token refusal ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The request's credential. `use` names what is being called (tRPC paths, or the REST route) for
 * the audit log.
 */
export async function authenticateRequest(
  services: Pick<Services, 'auth' | 'tokens' | 'audit'>,
  headers: Headers,
  use: string,
): Promise<RequestAuth> {
  const authorization = headers.get('authorization');
  if (authorization === null) {
    const user = await services.auth.userFromCookieHeader(headers.get('cookie'));
    return user ? { type: 'session', user } : { type: 'anonymous' };
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) return { type: 'refused', reason: 'the Authorization header must be Bearer <API token>' };
  const check = await services.tokens.check(match[1]);
  if (check.type === 'refused') {
    if (check.reason === 'revoked' || check.reason === 'expired') {
      await services.audit.record({
        actor: tokenActor(check.token),
        role: check.token.role,
        action: 'token.refused',
        target: use,
        details: { tokenId: check.token.id, reason: check.reason },
      });
    }
    return { type: 'refused', reason: refusalText(check) };
  }
  const user: SessionUser = { name: tokenActor(check.token), role: check.token.role };
  await services.audit.record({
    actor: user.name,
    role: user.role,
    action: 'token.use',
    target: use,
    details: { tokenId: check.token.id },
  });
  return { type: 'token', user, tokenId: check.token.id };
}
