import { Suspense } from 'react';
import { Overview } from '../components/overview/overview.tsx';

export default function OverviewPage() {
  // useSearchParams (the time range) needs a Suspense boundary for the static shell.
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Overview />
    </Suspense>
  );
}
