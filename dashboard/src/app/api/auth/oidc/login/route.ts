// Starts OIDC sign-in: off to the identity provider, with the flow's secrets in a signed cookie.
import { getServices } from '../../../../../server/services.ts';

export async function GET(req: Request): Promise<Response> {
  const { oidc } = getServices();
  if (!oidc) return new Response('OIDC sign-in is not configured (OIDC_ISSUER)', { status: 404 });
  const next = new URL(req.url).searchParams.get('next') ?? '/';
  try {
    const { url, setCookie } = await oidc.start(next, req.headers);
    return new Response(null, { status: 302, headers: { location: url, 'set-cookie': setCookie } });
  } catch (error) {
    console.error('dashboard: OIDC sign-in could not start', error);
    const message = `single sign-on is unavailable: ${(error as Error).message}`;
    return new Response(null, {
      status: 302,
      headers: { location: `/signin?error=${encodeURIComponent(message)}` },
    });
  }
}
