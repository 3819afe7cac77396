import type { Metadata } from 'next';
import { ChaosPage } from '../../components/chaos/chaos-page.tsx';

export const metadata: Metadata = { title: 'Chaos' };

export default function Page() {
  return <ChaosPage />;
}
