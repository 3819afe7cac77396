import type { Metadata } from 'next';
import { ReceiversPage } from '../../components/receivers/receivers-page.tsx';

export const metadata: Metadata = { title: 'Receivers' };

export default function Page() {
  return <ReceiversPage />;
}
