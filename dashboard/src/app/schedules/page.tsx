import type { Metadata } from 'next';
import { SchedulesPage } from '../../components/schedules/schedules-page.tsx';

export const metadata: Metadata = { title: 'Schedules' };

export default function Page() {
  return <SchedulesPage />;
}
