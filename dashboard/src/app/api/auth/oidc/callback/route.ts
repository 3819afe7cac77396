// Finishes OIDC sign-in: exchanges the code, maps the user's claims to a role, starts a session
// and records the sign-in (or its refusal) in the audit log.
import { getServices } from '../../../../../server/services.ts';

const redirect = (location: string, cookies: string[]) => {
  const headers = new Headers({ location });
  for (const c of cookies) headers.append('set-cookie', c);
  return new Response(null, { status: 302, headers });
};

export async function GET(req: Request): Promise<Response> {
  const { oidc, auth, audit } = getServices();
  if (!oidc) return new Response('OIDC sign-in is not configured (OIDC_ISSUER)', { status: 404 });
  const search = new URL(req.url).search;
  try {
    const result = await oidc.finish(search, req.headers);
    if (result.type === 'refused') {
      await audit.record({
        actor: result.name,
        role: '',
        action: 'sign-in-failed',
        target: '',
        details: { via: 'oidc', reason: result.reason },
      });
      return redirect(`/signin?error=${encodeURIComponent(result.reason)}`, [result.clearCookie]);
    }
    await audit.record({
      actor: result.user.name,
      role: result.user.role,
      action: 'sign-in',
      target: '',
      details: { via: 'oidc', issuer: oidc.issuer },
    });
    const session = await auth.issueSsoSession(
      { name: result.user.name, issuer: oidc.issuer, roleClaims: result.roleClaims },
      req.headers,
    );
    return redirect(result.next, [result.clearCookie, session]);
  } catch (error) {
    console.error('dashboard: OIDC sign-in failed', error);
    await audit.record({
      actor: '',
      role: '',
      action: 'sign-in-failed',
      target: '',
      details: { via: 'oidc', reason: (error as Error).message },
    });
    return redirect(
      `/signin?error=${encodeURIComponent(`single sign-on failed: ${(error as Error).message}`)}`,
      [],
    );
  }
}
