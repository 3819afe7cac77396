import type { Metadata } from 'next';
import { SignInForm } from '../../components/auth/sign-in-form.tsx';
import { getServices } from '../../server/services.ts';

export const metadata: Metadata = { title: 'Sign in' };

type Search = Promise<{ next?: string | string[]; error?: string | string[] }>;

export default async function Page({ searchParams }: { searchParams: Search }) {
  const { next, error } = await searchParams;
  return (
    <SignInForm
      next={typeof next === 'string' ? next : null}
      ssoError={typeof error === 'string' ? error : null}
      sso={getServices().oidc !== null}
    />
  );
}
