// Alert receivers (admins): list them with where each comes from — never a secret, only a masked
// hint —, add, edit and remove the ones added in the UI (the routing file's are read-only), and
// send a test notification to see the receiver's answer. Every change and test is audited.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  receiverAddSchema,
  receiverEditSchema,
  receiverIdSchema,
  receiverRefSchema,
} from '../../lib/receiver-input.ts';
import type { ReceiverAdminError } from '../receivers/receiver-admin.ts';
import { adminProcedure, router } from '../trpc.ts';

/** The admin's refusals (unknown id, a name taken) as tRPC errors with their one-line message. */
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as Error).name === 'ReceiverAdminError') {
      const e = error as ReceiverAdminError;
      throw new TRPCError({ code: e.code, message: e.message });
    }
    throw error;
  }
}

export const receiversRouter = router({
  list: adminProcedure.query(async ({ ctx }) => ({
    receivers: await ctx.services.receivers.list(),
    severities: ctx.services.receivers.severities(),
  })),

  add: adminProcedure.input(receiverAddSchema).mutation(({ ctx, input }) =>
    refusing(async () => {
      const view = await ctx.services.receivers.add(input, ctx.user.name);
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'receiver.add',
        target: view.id ?? view.name,
        details: { name: view.name, kind: view.kind, severity: view.severity, hint: view.hint },
      });
      return view;
    }),
  ),

  edit: adminProcedure
    .input(z.object({ id: receiverIdSchema, receiver: receiverEditSchema }))
    .mutation(({ ctx, input }) =>
      refusing(async () => {
        const { view, changed } = await ctx.services.receivers.edit(input.id, input.receiver, ctx.user.name);
        await ctx.services.audit.record({
          actor: ctx.user.name,
          role: ctx.user.role,
          action: 'receiver.edit',
          target: input.id,
          details: { name: view.name, kind: view.kind, changed },
        });
        return view;
      }),
    ),

  remove: adminProcedure.input(z.object({ id: receiverIdSchema })).mutation(({ ctx, input }) =>
    refusing(async () => {
      const view = await ctx.services.receivers.remove(input.id, ctx.user.name);
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'receiver.remove',
        target: input.id,
        details: { name: view.name, kind: view.kind },
      });
      return view;
    }),
  ),

  test: adminProcedure.input(receiverRefSchema).mutation(({ ctx, input }) =>
    refusing(async () => {
      const { name, answer } = await ctx.services.receivers.test(input, ctx.user.name);
      await ctx.services.audit.record({
        actor: ctx.user.name,
        role: ctx.user.role,
        action: 'receiver.test',
        target: 'id' in input ? input.id : `file:${input.file}`,
        details: { name, ok: answer.ok, httpStatus: answer.httpStatus },
      });
      return answer;
    }),
  ),
});
