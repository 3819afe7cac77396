// Sign-in, sign-out and "who am I". The session itself is an HttpOnly cookie set on the response.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { SessionUser } from '../../lib/roles.ts';
import { publicProcedure, router } from '../trpc.ts';

const signInInput = z.object({
  name: z.string().trim().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
});

const waitText = (seconds: number) => (seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

export const authRouter = router({
  me: publicProcedure.query(({ ctx }): SessionUser | null => ctx.user),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }): Promise<SessionUser> => {
    // A batch would carry many passwords in one request, past the per-request limits.
    if (ctx.batched) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'sign in with a request of its own, not a batch' });
    }
    const { auth, audit } = ctx.services;
    const result = await auth.signIn(input.name, input.password, ctx.headers);
    switch (result.type) {
      case 'signed-in':
        ctx.resHeaders?.append('set-cookie', result.setCookie);
        await audit.record({
          actor: result.user.name,
          role: result.user.role,
          action: 'sign-in',
          target: '',
        });
        return result.user;
      case 'refused': {
        // Refusals before any password check are cheap to send: audited once per wait, not each.
        if (result.reason === 'bad-credentials' || (result.reason === 'throttled' && result.first)) {
          await audit.record({
            actor: input.name,
            role: '',
            action: 'sign-in-failed',
            target: '',
            details: { reason: result.reason },
          });
        }
        if (result.reason === 'bad-credentials') {
          throw new TRPCError({ code: 'UNAUTHORIZED', message: 'wrong user name or password' });
        }
        ctx.resHeaders?.set('retry-after', String(result.retryAfterSeconds));
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message:
            result.reason === 'throttled'
              ? `too many failed sign-ins: try again in ${waitText(result.retryAfterSeconds)}`
              : `sign-in is busy: try again in ${waitText(result.retryAfterSeconds)}`,
        });
      }
      default: {
        const unknownResult: never = result;
        throw new Error(`unknown sign-in result ${JSON.stringify(unknownResult)}`);
      }
    }
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    ctx.resHeaders?.append('set-cookie', await ctx.services.auth.signOut(ctx.headers));
    if (ctx.user) {
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'sign-out',
        target: '',
      });
    }
    return { signedOut: true };
  }),
});
