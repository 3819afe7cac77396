import type { Metadata } from 'next';
import { ExperimentsPage } from '../../components/experiments/experiments-page.tsx';

export const metadata: Metadata = { title: 'Experiments' };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await searchParams;
  return <ExperimentsPage selected={typeof id === 'string' ? id : null} />;
}
