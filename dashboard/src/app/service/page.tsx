import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicePage } from '../../components/service/service-page.tsx';

export const metadata: Metadata = { title: 'Service' };

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ServicePage />
    </Suspense>
  );
}
