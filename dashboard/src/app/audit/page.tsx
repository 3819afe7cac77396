import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuditPage } from '../../components/audit/audit-page.tsx';

export const metadata: Metadata = { title: 'Audit log' };

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <AuditPage />
    </Suspense>
  );
}
