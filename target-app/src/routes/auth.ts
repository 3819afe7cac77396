// The account API: register, verify e-mail, login, refresh (rotation), logout (revocation), me.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../auth/accounts.ts';
import { requireSession, unauthorized } from '../auth/request-auth.ts';
import { TokenError } from '../auth/tokens.ts';
import { type ErrorBody, parseInput } from '../http/errors.ts';

// bcrypt reads at most 72 bytes: a longer password would be silently truncated, so refuse it.
const BCRYPT_MAX_BYTES = 72;

const email = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an e-mail address' }));

const newPassword = z
  .string({ error: 'must be a string' })
  .min(8, 'must be at least 8 characters')
  .refine((text) => Buffer.byteLength(text) <= BCRYPT_MAX_BYTES, `must be at most ${BCRYPT_MAX_BYTES} bytes`);

export const registerBodySchema = z.strictObject({ email, password: newPassword });
export const loginBodySchema = z.strictObject({
  email,
  password: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(1024),
});
const token = z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(4096);
export const refreshBodySchema = z.strictObject({ refreshToken: token });
export const logoutBodySchema = z.strictObject({ refreshToken: token.optional() });
export const verifyQuerySchema = z.strictObject({ token: z.string().min(1, 'must not be empty').max(200) });

const INVALID_CREDENTIALS = 'invalid e-mail or password';

/** The answer to a registration: the (normalised) address, to be confirmed from the mail. */
export type Registration = { email: string; verified: false };

export function registerAuthRoutes(api: FastifyInstance, accounts: Accounts): void {
  api.post('/api/auth/register', async (request, reply) => {
    const body = parseInput(registerBodySchema, request.body, 'registration');
    // The same answer whether the address was free or taken (its owner gets a mail instead), so the
    // endpoint cannot be used to find out who has an account.
    await accounts.register(body.email, body.password, request.otelContext);
    return reply.code(201).send({ email: body.email, verified: false } satisfies Registration);
  });

  api.get('/api/auth/verify', async (request, reply) => {
    const { token: verifyToken } = parseInput(verifyQuerySchema, request.query, 'query');
    if (!(await accounts.verifyEmail(verifyToken, request.otelContext))) {
      return reply
        .code(400)
        .send({ error: 'unknown or already used verification token' } satisfies ErrorBody);
    }
    return { verified: true };
  });

  api.post('/api/auth/login', async (request, reply) => {
    const body = parseInput(loginBodySchema, request.body, 'login');
    const pair = await accounts.login(body.email, body.password, request.otelContext);
    return pair ?? unauthorized(reply, INVALID_CREDENTIALS);
  });

  api.post('/api/auth/refresh', async (request, reply) => {
    const body = parseInput(refreshBodySchema, request.body, 'refresh');
    return refusingBadTokens(reply, () => accounts.refresh(body.refreshToken));
  });

  api.post('/api/auth/logout', async (request, reply) => {
    const body = parseInput(logoutBodySchema.optional(), request.body ?? undefined, 'logout');
    const caller = requireSession(request, reply);
    if (!('session' in caller)) return caller;
    await accounts.logout(caller.token, caller.session, body?.refreshToken);
    return reply.code(204).send();
  });

  api.get('/api/auth/me', async (request, reply) => {
    const caller = requireSession(request, reply);
    if (!('session' in caller)) return caller;
    return caller.session.user;
  });
}

async function refusingBadTokens<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TokenError) return unauthorized(reply, `refresh refused: ${error.message}`);
    throw error;
  }
}
