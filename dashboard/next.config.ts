// Next.js config for the dashboard. The app runs inside server.ts (the all-in-one process); its
// bundle reaches the store, launcher and alert engine only through the services facade, and the
// workspace packages' code only through their bundle-safe subpaths (collector/query,
// load-tests/model, load-tests/results, alert-rules/model), which Turbopack bundles like the app's
// own modules — dashboard/test/bundle-safe-surfaces.test.ts keeps their main entries out.
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Never bundle the heavy third-party server parts, should an import slip into the app. (Listing
  // the workspace packages here had no effect: Turbopack bundles a linked workspace package anyway.)
  serverExternalPackages: ['chdb', '@clickhouse/client', 'fastify'],
  typedRoutes: false,
  // Types are checked once, by `npm run typecheck` (CI runs it for every workspace), not again in the build.
  typescript: { ignoreBuildErrors: true },
  // tRPC subscriptions stream over SSE; response compression would buffer them.
  compress: false,
  poweredByHeader: false,
  // Every response, API and assets included; pages also get a CSP with a nonce from src/proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
  reactStrictMode: true,
};

export default nextConfig;
