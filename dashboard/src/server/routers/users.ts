// Dashboard users (admins): list them — those from the environment read-only — create one, change
// a UI user's role, reset its password (a generated one is in the answer once), disable or enable
// it. Every change is in the audit log, never with the password.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ROLES } from '../../lib/roles.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../lib/user-accounts.ts';
import type { AuditAction } from '../audit.ts';
import type { Refusal, UserChange, UserChangeDone } from '../auth/user-accounts.ts';
import { userNameSchema } from '../auth/users.ts';
import { adminProcedure, router, type TRPCContext } from '../trpc.ts';

const nameInput = z.string().trim().pipe(userNameSchema);
const roleInput = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` });
/** Absent: the server generates one and answers it once. */
const passwordInput = z
  .string({ error: 'the password is text' })
  .min(MIN_PASSWORD_LENGTH, `a password has at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `a password has at most ${MAX_PASSWORD_LENGTH} characters`)
  .optional();

const STATUS = {
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  refused: 'BAD_REQUEST',
  busy: 'TOO_MANY_REQUESTS',
} as const satisfies Record<Refusal['reason'], TRPCError['code']>;

type AdminContext = TRPCContext & { user: NonNullable<TRPCContext['user']> };

/** The change, audited when something changed; a refusal becomes its status with the reason. */
async function settle(
  ctx: AdminContext,
  change: UserChange,
  action: AuditAction,
  details: (done: UserChangeDone) => Record<string, unknown>,
): Promise<Omit<UserChangeDone, 'type' | 'previousRole'>> {
  if (change.type === 'refused') {
    if (change.retryAfterSeconds !== undefined)
      ctx.resHeaders?.set('retry-after', String(change.retryAfterSeconds));
    throw new TRPCError({ code: STATUS[change.reason], message: change.message });
  }
  if (change.changed) {
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action,
      target: change.user.name,
      details: { ...details(change), sessionsRevoked: change.sessionsRevoked },
    });
  }
  const { type: _, previousRole: __, ...done } = change;
  return done;
}

export const usersRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.users.list()),

  create: adminProcedure
    .input(z.object({ name: nameInput, role: roleInput, password: passwordInput }))
    .mutation(async ({ ctx, input }) => {
      const change = await ctx.services.users.create({ ...input, by: ctx.user.name });
      return settle(ctx, change, 'user.create', () => ({
        role: input.role,
        passwordGenerated: input.password === undefined,
      }));
    }),

  setRole: adminProcedure
    .input(z.object({ name: nameInput, role: roleInput }))
    .mutation(async ({ ctx, input }) => {
      const change = await ctx.services.users.setRole({ ...input, by: ctx.user.name });
      return settle(ctx, change, 'user.role', (done) => ({ from: done.previousRole, to: done.user.role }));
    }),

  resetPassword: adminProcedure
    .input(z.object({ name: nameInput, password: passwordInput }))
    .mutation(async ({ ctx, input }) => {
      const change = await ctx.services.users.resetPassword({ ...input, by: ctx.user.name });
      return settle(ctx, change, 'user.password', () => ({
        passwordGenerated: input.password === undefined,
      }));
    }),

  setDisabled: adminProcedure
    .input(z.object({ name: nameInput, disabled: z.boolean({ error: 'disabled is true or false' }) }))
    .mutation(async ({ ctx, input }) => {
      const change = await ctx.services.users.setDisabled({ ...input, by: ctx.user.name });
      return settle(ctx, change, input.disabled ? 'user.disable' : 'user.enable', () => ({}));
    }),
});
