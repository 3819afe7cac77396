// Where to go after signing in: `next` comes from a URL, so only paths on this site are accepted.
// Browsers drop tab, CR and LF anywhere in a URL and read `\` as `/` before resolving it, so
// "/\t/evil.example" or "/\\evil.example" would be "//evil.example" (another site) to them: the
// value is normalised the same way first, then resolved, and must stay on this origin.
const BASE = 'http://dashboard.invalid';

export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string') return '/';
  const normalised = next.replace(/[\t\n\r]/g, '').replace(/\\/g, '/');
  if (!normalised.startsWith('/') || normalised.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(normalised, BASE);
  } catch {
    return '/';
  }
  // Dot segments can still make a path start with `//` ("/.//evil.example").
  if (url.origin !== BASE || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
