import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SystemPage } from '../../components/system/system-page.tsx';

export const metadata: Metadata = { title: 'System' };

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <SystemPage />
    </Suspense>
  );
}
