import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ComparePage } from '../../components/runs/compare-page.tsx';

export const metadata: Metadata = { title: 'Compare runs' };

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ComparePage />
    </Suspense>
  );
}
