import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Nav } from '../components/nav.tsx';
import { TRPCReactProvider } from '../trpc/react.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'CarSuggester perf', template: '%s · CarSuggester perf' },
  description: 'Load tests, live telemetry and alerts for the car-suggester API.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>
          <Nav />
          <main className="page">{children}</main>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
