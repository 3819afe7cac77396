import type { Metadata } from 'next';
import { RunReportPage } from '../../../components/runs/run-report-page.tsx';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${(await params).id}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  return <RunReportPage id={decodeURIComponent((await params).id)} />;
}
