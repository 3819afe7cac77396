// Where to go after signing in: `next` comes from a URL, so only paths on this site are accepted
// (never `//host` or `/\host`, which browsers treat as another site).
export function safeNext(next: string | null | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
