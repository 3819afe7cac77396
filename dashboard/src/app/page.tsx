// The Overview. Its first view (scores, current figures, charts' data, runs, alerts) is read on the
// server and sent in the HTML, so the page shows real numbers and the active alerts before any script
// runs; the live streams take over in the browser once the page has loaded.
import { ChangeMarkersProvider } from '../components/change-markers.tsx';
import { Overview, type OverviewInitial } from '../components/overview/overview.tsx';
import { parseTimeRange } from '../lib/time-range.ts';
import { firstSnapshot, serverCaller } from '../trpc/server.ts';

/** A slow store must not hold the page back long: past this the section waits for its stream. */
const FIRST_VIEW_TIMEOUT_MS = 1500;

async function readFirstView(range: OverviewInitial['range']): Promise<OverviewInitial> {
  const [traffic, scores, runs, alerts] = await Promise.all([
    firstSnapshot(
      async (signal) => (await serverCaller(signal)).metrics.traffic({ range }),
      FIRST_VIEW_TIMEOUT_MS,
    ),
    firstSnapshot(
      async (signal) => (await serverCaller(signal)).scores.live({ range }),
      FIRST_VIEW_TIMEOUT_MS,
    ),
    firstSnapshot(async (signal) => (await serverCaller(signal)).runs.live(), FIRST_VIEW_TIMEOUT_MS),
    firstSnapshot(async (signal) => (await serverCaller(signal)).alerts.live(), FIRST_VIEW_TIMEOUT_MS),
  ]);
  return { range, traffic, scores, alerts, runs };
}

export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const range = parseTimeRange((await searchParams).range);
  // The charts mark the target's chaos changes and optimisation switches in their window.
  return (
    <ChangeMarkersProvider>
      <Overview initial={await readFirstView(range)} />
    </ChangeMarkersProvider>
  );
}
