'use client';
// Subscriptions shared by the pages: the launcher's runs (folded into a map with live history)
// and the alert engine's snapshot. Both stream over SSE; nothing here polls.
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { applyRunEvent, emptyRunStream, type RunStreamState } from '../lib/run-stream.ts';
import { useTRPC } from '../trpc/react.tsx';

export function useLiveRuns(): RunStreamState & { connected: boolean; error: string | null } {
  const trpc = useTRPC();
  const [state, setState] = useState<RunStreamState>(emptyRunStream);
  const sub = useSubscription(
    trpc.runs.live.subscriptionOptions(undefined, {
      onData: (event) => setState((prev) => applyRunEvent(prev, event)),
    }),
  );
  return { ...state, connected: sub.status === 'pending', error: sub.error?.message ?? null };
}

export function useLiveAlerts() {
  const trpc = useTRPC();
  const sub = useSubscription(trpc.alerts.live.subscriptionOptions());
  return { snapshot: sub.data ?? null, error: sub.error?.message ?? null };
}
