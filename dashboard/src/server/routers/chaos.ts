// The target's chaos settings: everyone signed in sees them (they explain a chart's spike); only
// admins change them, and each change is in the audit log with the settings before and after.
import { TRPCError } from '@trpc/server';
import { ChaosRefusedError, type ChaosState, chaosSettingsSchema } from '../target-chaos.ts';
import { adminProcedure, router, viewerProcedure } from '../trpc.ts';

function asTrpcError(error: unknown): TRPCError {
  if (error instanceof ChaosRefusedError)
    return new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  return new TRPCError({ code: 'BAD_GATEWAY', message: (error as Error).message, cause: error });
}

export const chaosRouter = router({
  /** The settings, and the target's routes a setting may be scoped to (`knownRoutes`). */
  state: viewerProcedure.query(
    async ({
      ctx,
    }): Promise<{
      target: string;
      state: ChaosState | null;
      knownRoutes: string[];
      error: string | null;
    }> => {
      const { chaos } = ctx.services;
      try {
        const [state, knownRoutes] = await Promise.all([chaos.current(), chaos.knownRoutes()]);
        return { target: chaos.targetUrl, state, knownRoutes, error: null };
      } catch (error) {
        return { target: chaos.targetUrl, state: null, knownRoutes: [], error: (error as Error).message };
      }
    },
  ),

  set: adminProcedure.input(chaosSettingsSchema).mutation(async ({ ctx, input }) => {
    const { chaos, audit } = ctx.services;
    const previous = await chaos.current().catch(() => null);
    const next = await chaos.set(input).catch((error: unknown) => {
      throw asTrpcError(error);
    });
    await audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'chaos.change',
      target: chaos.targetUrl,
      details: { previous, next },
    });
    return next;
  }),

  reset: adminProcedure.mutation(async ({ ctx }) => {
    const { chaos, audit } = ctx.services;
    const previous = await chaos.current().catch(() => null);
    const next = await chaos.reset().catch((error: unknown) => {
      throw asTrpcError(error);
    });
    await audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'chaos.change',
      target: chaos.targetUrl,
      details: { previous, next, reset: true },
    });
    return next;
  }),
});
