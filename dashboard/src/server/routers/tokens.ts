// API tokens for automation (admins): list, create — the token is in the answer once and never
// again — and revoke. Each creation and revocation is in the audit log, as is every use.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ROLES } from '../../lib/roles.ts';
import type { ApiTokenRecord } from '../auth/api-tokens.ts';
import { adminProcedure, router } from '../trpc.ts';

const DAY_MS = 86_400_000;
export const MAX_TOKEN_DAYS = 366;

export interface ApiTokenView extends ApiTokenRecord {
  state: 'active' | 'revoked' | 'expired';
}

const viewOf = (token: ApiTokenRecord, now: number): ApiTokenView => ({
  ...token,
  state: token.revoked ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active',
});

const tokenIdSchema = z.string().regex(/^[A-Za-z0-9]{16}$/, 'a token id is 16 letters or digits');

export const tokensRouter = router({
  list: adminProcedure.query(async ({ ctx }) => {
    const now = Date.now();
    return (await ctx.services.tokens.list()).map((t) => viewOf(t, now));
  }),

  create: adminProcedure
    .input(
      z.object({
        name: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a token name is 1–64 letters, digits or . _ -'),
        role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
        expiresInDays: z
          .number({ error: 'expiry in days is a number' })
          .int('expiry in whole days')
          .min(1, 'a token lives at least 1 day')
          .max(MAX_TOKEN_DAYS, `a token lives at most ${MAX_TOKEN_DAYS} days`),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { token, record } = await ctx.services.tokens.create({
        name: input.name,
        role: input.role,
        expiresAt: Date.now() + input.expiresInDays * DAY_MS,
        createdBy: ctx.user.name,
      });
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'token.create',
        target: record.id,
        details: {
          name: record.name,
          role: record.role,
          expiresAt: new Date(record.expiresAt).toISOString(),
        },
      });
      return { token, record: viewOf(record, Date.now()) };
    }),

  revoke: adminProcedure.input(z.object({ id: tokenIdSchema })).mutation(async ({ ctx, input }) => {
    const record = await ctx.services.tokens.revoke(input.id, ctx.user.name);
    if (!record) throw new TRPCError({ code: 'NOT_FOUND', message: `no API token ${input.id}` });
    await ctx.services.audit.record({
      actor: ctx.user.name,
      role: ctx.user.role,
      action: 'token.revoke',
      target: record.id,
      details: { name: record.name, role: record.role },
    });
    return viewOf(record, Date.now());
  }),
});
