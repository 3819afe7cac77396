'use client';
// Change markers on a page's time-series charts: the target's chaos changes and optimisation
// switches over the page's `?range=`, streamed once the page has settled. A page opts in by
// wrapping its content in ChangeMarkersProvider (the Overview, the service page); every
// TimeSeriesChart inside draws the markers that fall in its own window. Other charts (a run's
// report, the System page) draw none.
import { useSubscription } from '@trpc/tanstack-react-query';
import { useSearchParams } from 'next/navigation';
import { createContext, type ReactNode, useContext } from 'react';
import type { ChangeMarker } from '../lib/change-markers.ts';
import { parseTimeRange } from '../lib/time-range.ts';
import { useTRPC } from '../trpc/react.tsx';
import { usePageSettled } from './use-page-settled.ts';

const NONE: readonly ChangeMarker[] = [];
const ChangeMarkersContext = createContext<readonly ChangeMarker[]>(NONE);

export function ChangeMarkersProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const range = parseTimeRange(useSearchParams().get('range'));
  const live = usePageSettled();
  const changes = useSubscription(trpc.changes.live.subscriptionOptions({ range }, { enabled: live }));
  const markers = changes.data?.range === range ? changes.data.markers : NONE;
  return <ChangeMarkersContext.Provider value={markers}>{children}</ChangeMarkersContext.Provider>;
}

/** The markers of the enclosing provider; none outside one. */
export function useChangeMarkers(): readonly ChangeMarker[] {
  return useContext(ChangeMarkersContext);
}
