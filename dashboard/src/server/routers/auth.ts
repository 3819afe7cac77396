// Sign-in, sign-out and "who am I". The session itself is an HttpOnly cookie set on the response.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { SessionUser } from '../../lib/roles.ts';
import { publicProcedure, router } from '../trpc.ts';

const signInInput = z.object({
  name: z.string().trim().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
});

export const authRouter = router({
  me: publicProcedure.query(({ ctx }): SessionUser | null => ctx.user),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }): Promise<SessionUser> => {
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
        await audit.record({
          actor: input.name,
          role: '',
          action: 'sign-in-failed',
          target: '',
          details: { reason: result.reason },
        });
        if (result.reason === 'throttled') {
          throw new TRPCError({
            code: 'TOO_MANY_REQUESTS',
            message: `too many failed sign-ins for ${input.name}: try again in ${Math.ceil(result.retryAfterSeconds / 60)} min`,
          });
        }
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'wrong user name or password' });
      }
      default: {
        const unknownResult: never = result;
        throw new Error(`unknown sign-in result ${JSON.stringify(unknownResult)}`);
      }
    }
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    ctx.resHeaders?.append('set-cookie', ctx.services.auth.signOut(ctx.headers));
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
