import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ChangeMarkersProvider } from '../../components/change-markers.tsx';
import { ServicePage } from '../../components/service/service-page.tsx';

export const metadata: Metadata = { title: 'Service' };

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ChangeMarkersProvider>
        <ServicePage />
      </ChangeMarkersProvider>
    </Suspense>
  );
}
