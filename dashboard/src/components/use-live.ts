'use client';
// Subscriptions shared by the pages: the launcher's runs (folded into a map with live history)
// and the alert engine's snapshot. Both stream over SSE; nothing here polls.
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import {
  applyRunEvent,
  emptyRunStream,
  type RunStreamEvent,
  type RunStreamState,
} from '../lib/run-stream.ts';
import { type RouterOutputs, type Streamed, useTRPC } from '../trpc/react.tsx';

export type AlertsSnapshot = Streamed<RouterOutputs['alerts']['live']>;

export function useLiveRuns(
  options: { initial?: RunStreamEvent | undefined; enabled?: boolean } = {},
): RunStreamState & { connected: boolean; error: string | null } {
  const trpc = useTRPC();
  const [state, setState] = useState<RunStreamState>(() =>
    options.initial ? applyRunEvent(emptyRunStream, options.initial) : emptyRunStream,
  );
  const sub = useSubscription(
    trpc.runs.live.subscriptionOptions(undefined, {
      enabled: options.enabled ?? true,
      onData: (event) => setState((prev) => applyRunEvent(prev, event)),
    }),
  );
  return { ...state, connected: sub.status === 'pending', error: sub.error?.message ?? null };
}

export function useLiveAlerts(options: { initial?: AlertsSnapshot | undefined; enabled?: boolean } = {}) {
  const trpc = useTRPC();
  const sub = useSubscription(
    trpc.alerts.live.subscriptionOptions(undefined, { enabled: options.enabled ?? true }),
  );
  return { snapshot: sub.data ?? options.initial ?? null, error: sub.error?.message ?? null };
}
