// The audit log for admins: newest first, filtered by time window, actor and action.
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../audit.ts';
import { adminProcedure, router } from '../trpc.ts';

const DAY_MS = 86_400_000;

export const auditRouter = router({
  list: adminProcedure
    .input(
      z.object({
        fromMs: z.number().int().nonnegative().optional(),
        toMs: z.number().int().nonnegative().optional(),
        actor: z.string().trim().max(64).optional(),
        action: z.enum(AUDIT_ACTIONS).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    )
    .query(async ({ ctx, input }) => {
      const toMs = input.toMs ?? Date.now();
      const fromMs = input.fromMs ?? toMs - 7 * DAY_MS;
      const entries = await ctx.services.audit.list({
        fromMs,
        toMs,
        actor: input.actor || undefined,
        action: input.action,
        limit: input.limit,
      });
      return { entries, fromMs, toMs };
    }),
});
