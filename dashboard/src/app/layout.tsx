import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SessionProvider } from '../components/auth/session.tsx';
import { Nav } from '../components/nav.tsx';
import { currentUser } from '../server/current-user.ts';
import { TRPCReactProvider } from '../trpc/react.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'CarSuggester perf', template: '%s · CarSuggester perf' },
  description: 'Load tests, live telemetry and alerts for the car-suggester API.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <SessionProvider user={user}>
            <Nav />
            <main className="page">{children}</main>
          </SessionProvider>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
