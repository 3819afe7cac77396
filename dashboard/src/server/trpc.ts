// The one initTRPC of the dashboard: context (the services facade and the signed-in user), error
// shape and the procedure kinds: public, viewer (any signed-in user), qa and admin. Roles are
// enforced here, on the server; the UI only hides what a role cannot do.
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ROLE_ABILITIES, type Role, roleAllows, type SessionUser } from '../lib/roles.ts';
import { authenticateRequest } from './auth/request-auth.ts';
import { getServices, type Services } from './services.ts';

/** The header the dashboard's tRPC client sends on every request (see trpc/react.tsx). */
export const CSRF_HEADER = 'x-trpc-source';

export interface TRPCContext {
  services: Services;
  headers: Headers;
  /** The signed-in user (or the API token's service account), or null. */
  user: SessionUser | null;
  /** How `user` was established: a session cookie or `Authorization: Bearer` (an API token). */
  credential?: 'session' | 'token';
  /** Why a presented API token was refused (one line); every procedure then answers 401. */
  authRefusal?: string;
  /** Response headers (Set-Cookie on sign-in / sign-out); absent when called through createCaller. */
  resHeaders?: Headers;
  /** 'http' when the call came over the network: mutations then pass the CSRF check. */
  via?: 'http';
  /** Whether the call came in a batch (sign-in refuses to: one request, one password). */
  batched?: boolean;
}

/**
 * Context for a request through the route handler: the user comes from an API token
 * (`Authorization: Bearer`) or the session cookie. `paths` (the procedures called) name the use of
 * a token in the audit log.
 */
export async function createTRPCContext(opts: {
  headers: Headers;
  resHeaders?: Headers;
  batched?: boolean;
  paths?: string[];
}): Promise<TRPCContext> {
  const services = getServices();
  const auth = await authenticateRequest(services, opts.headers, `trpc ${(opts.paths ?? []).join(',')}`);
  // A signed-in caller is someone watching (the collector stores a quiet target's rows sooner).
  if (auth.type === 'session' || auth.type === 'token') services.viewers?.note();
  return {
    services,
    headers: opts.headers,
    user: auth.type === 'session' || auth.type === 'token' ? auth.user : null,
    ...(auth.type === 'session' || auth.type === 'token' ? { credential: auth.type } : {}),
    ...(auth.type === 'refused' ? { authRefusal: auth.reason } : {}),
    ...(opts.resHeaders ? { resHeaders: opts.resHeaders } : {}),
    via: 'http',
    batched: opts.batched ?? false,
  };
}

/** Field-level messages for a rejected input, shown next to the form field they name. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Errors thrown by the launcher's validation carry `issues` (a ParamValidationError). */
function issuesOf(cause: unknown): FieldIssue[] | null {
  if (typeof cause !== 'object' || cause === null || !('issues' in cause) || !Array.isArray(cause.issues))
    return null;
  return cause.issues.filter(
    (i): i is FieldIssue =>
      typeof i === 'object' && i !== null && typeof i.field === 'string' && typeof i.message === 'string',
  );
}

const t = initTRPC.context<TRPCContext>().create({
  errorFormatter({ shape, error }) {
    const fromZod =
      error.cause instanceof z.ZodError
        ? error.cause.issues.map((i) => ({ field: i.path.join('.') || 'input', message: i.message }))
        : null;
    return { ...shape, data: { ...shape.data, issues: fromZod ?? issuesOf(error.cause) } };
  },
  sse: {
    // Keeps idle streams (no alerts changing, no runs) from being cut by proxies.
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

/**
 * Mutations over HTTP must come from the dashboard's own pages: its client sends CSRF_HEADER (a
 * cross-site form cannot set headers, and a cross-site fetch that sets one needs a CORS preflight
 * we never answer), and a browser's Origin, when sent, must name this host.
 */
const csrfGuard = t.middleware(({ ctx, type, next }) => {
  // A Bearer request carries no cookie (the token is its only credential), so a cross-site page
  // cannot make one on a user's behalf: the check is for cookie sessions.
  if (type !== 'mutation' || ctx.via !== 'http' || ctx.credential === 'token') return next();
  if (!ctx.headers.get(CSRF_HEADER)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `mutations need the ${CSRF_HEADER} header` });
  }
  const origin = ctx.headers.get('origin');
  if (origin === 'null') throw new TRPCError({ code: 'FORBIDDEN', message: 'opaque origin refused' });
  const host = ctx.headers.get('x-forwarded-host') ?? ctx.headers.get('host');
  if (origin && host && safeHost(origin) !== host) {
    throw new TRPCError({ code: 'FORBIDDEN', message: `cross-site request from ${origin} refused` });
  }
  return next();
});

/** A refused API token ends the request with 401 and the reason, whatever the procedure. */
const tokenGuard = t.middleware(({ ctx, next }) => {
  if (ctx.authRefusal) throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authRefusal });
  return next();
});

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function requireRole(needed: Role) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
    if (!roleAllows(ctx.user.role, needed)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `${ctx.user.name} is a ${ctx.user.role}; this needs the ${needed} role (${ROLE_ABILITIES[needed]})`,
      });
    }
    return next({ ctx: { ...ctx, user: ctx.user } });
  });
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** No sign-in needed (sign-in itself, the session check). */
export const publicProcedure = t.procedure.use(tokenGuard).use(csrfGuard);
/** Any signed-in user: reads. */
export const viewerProcedure = publicProcedure.use(requireRole('viewer'));
/** qa and admin: launch and stop runs, silence and acknowledge alerts, mark baselines. */
export const qaProcedure = publicProcedure.use(requireRole('qa'));
/** admin only: configuration, chaos, the audit log. */
export const adminProcedure = publicProcedure.use(requireRole('admin'));
