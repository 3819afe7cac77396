// The one tRPC endpoint: queries and mutations (batched) and subscriptions (SSE) at /api/trpc.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../../../server/routers/_app.ts';
import { createTRPCContext } from '../../../../server/trpc.ts';

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ resHeaders, info }) =>
      createTRPCContext({
        headers: req.headers,
        resHeaders,
        batched: info.isBatchCall,
        paths: info.calls.map((call) => call.path),
      }),
    onError({ path, error }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`dashboard: tRPC ${path ?? '?'} failed`, error);
    },
  });

export { handler as GET, handler as POST };
