import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadTestsPage } from '../../components/load-tests/load-tests-page.tsx';

export const metadata: Metadata = { title: 'Load tests' };

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <LoadTestsPage />
    </Suspense>
  );
}
