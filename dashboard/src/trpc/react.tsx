'use client';
// The browser half of tRPC: one QueryClient and one tRPC client per page load. Subscriptions go
// over SSE (httpSubscriptionLink), sign-in alone (the server refuses it in a batch), everything
// else through the batching HTTP link.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import type { AppRouter } from '../server/routers/_app.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** What a subscription yields (its output type is the async iterable itself). */
export type Streamed<T> = T extends AsyncIterable<infer U> ? U : never;

const API_PATH = '/api/trpc';
/** Mutations without it are refused by the server (CSRF guard in server/trpc.ts). */
const CSRF_HEADERS = { 'x-trpc-source': 'dashboard' };

/** A session that expired or was signed out elsewhere: back to the sign-in page, then here. */
function onApiError(error: unknown) {
  if (typeof window === 'undefined' || !(error instanceof TRPCClientError)) return;
  if (error.data?.code === 'UNAUTHORIZED' && window.location.pathname !== '/signin') {
    const next = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/signin?next=${encodeURIComponent(next)}`);
  }
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onApiError }),
    mutationCache: new MutationCache({ onError: onApiError }),
    defaultOptions: {
      queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  // On the server every render gets its own client; in the browser one lives for the page.
  if (typeof window === 'undefined') return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: API_PATH }),
          false: splitLink({
            condition: (op) => op.path === 'auth.signIn',
            true: httpLink({ url: API_PATH, headers: CSRF_HEADERS }),
            false: httpBatchLink({ url: API_PATH, headers: CSRF_HEADERS }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
