// The one initTRPC of the dashboard: context (the services facade), error shape and the procedure
// kinds. There is no sign-in yet, so every procedure is public.
import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import { getServices } from './services.ts';

export function createTRPCContext(opts: { headers: Headers }) {
  return { services: getServices(), headers: opts.headers };
}
export type TRPCContext = ReturnType<typeof createTRPCContext>;

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

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
