// The target's base URL (BASE_URL env). The launcher only passes URLs from its allowlist.
export function targetUrl() {
  const baseUrl = __ENV.BASE_URL;
  if (!baseUrl) throw new Error('BASE_URL is required, e.g. -e BASE_URL=http://127.0.0.1:8080');
  return baseUrl.replace(/\/+$/, '');
}
