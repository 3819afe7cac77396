// Who is calling: an API-wide hook reads `Authorization: Bearer <access token>` and records the
// outcome on the request; routes that need a user call requireSession(). Runs before the rate limiter
// so a signed-in client is limited per user, not per IP.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../http/errors.ts';
import type { Session, TokenValidator } from './token-validator.ts';
import { TokenError } from './tokens.ts';

export type RequestAuth =
  | { state: 'anonymous' }
  | { state: 'signed-in'; session: Session; token: string }
  | { state: 'rejected'; reason: TokenError['reason'] };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every /api request by the auth hook (undefined outside /api). */
    auth: RequestAuth | undefined;
  }
}

const ANONYMOUS: RequestAuth = Object.freeze({ state: 'anonymous' });

/** The token of an `Authorization: Bearer …` header; undefined without one. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  // A malformed header counts as a (bad) token, so it is refused rather than ignored.
  return match?.[1] ?? header;
}

export function registerRequestAuth(api: FastifyInstance, validator: TokenValidator): void {
  api.decorateRequest('auth', undefined);
  api.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      request.auth = ANONYMOUS;
      return;
    }
    try {
      request.auth = { state: 'signed-in', session: await validator.validate(token), token };
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      request.auth = { state: 'rejected', reason: error.reason };
    }
  });
}

const MESSAGES: Record<TokenError['reason'], string> = {
  expired: 'access token expired',
  invalid: 'invalid access token',
  revoked: 'access token revoked',
};

/** Sends 401 when the token was bad; undefined for anonymous requests. */
export function rejectBadToken(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (request.auth?.state !== 'rejected') return undefined;
  return unauthorized(reply, MESSAGES[request.auth.reason]);
}

export function unauthorized(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="car-suggester"')
    .send({ error: message } satisfies ErrorBody);
}

/** The caller's session, or a 401 already sent (the handler returns the reply). */
export function requireSession(
  request: FastifyRequest,
  reply: FastifyReply,
): { session: Session; token: string } | FastifyReply {
  const auth = request.auth;
  if (auth?.state === 'signed-in') return { session: auth.session, token: auth.token };
  return (
    rejectBadToken(request, reply) ??
    unauthorized(reply, 'sign in first (Authorization: Bearer <access token>)')
  );
}
