// The Content-Security-Policy of every page: scripts only with this response's nonce (Next.js puts
// it on its own scripts when the policy is on the request, see proxy.ts), nothing from other
// origins, and no framing (clickjacking). Styles may be inline: React and the charts set style
// attributes, and a style cannot run code.

/** 128 random bits, base64: unguessable and fresh for each response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
