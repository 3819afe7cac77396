// Optional sign-in through an OpenID Connect provider (authorization code flow with PKCE, via
// openid-client). The provider says who the user is; a claim (e.g. `groups`) mapped in OIDC_ROLES
// says which role they get. The flow's state, nonce and PKCE verifier travel in a short-lived
// signed cookie, so any dashboard replica can finish a flow another one started.
import * as oidc from 'openid-client';
import { z } from 'zod';
import { ROLES, type Role, roleAllows, type SessionUser } from '../../lib/roles.ts';
import { safeNext } from '../../lib/safe-next.ts';
import type { SsoMapping } from './auth.ts';
import { readCookie, sessionSetCookie, signToken, verifyToken } from './session-cookie.ts';

export const OIDC_FLOW_COOKIE = 'cs_oidc_flow';
const FLOW_TTL_MS = 10 * 60_000;
const FLOW_PURPOSE = 'oidc-flow';

export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** The dashboard's callback, as registered with the provider. */
  redirectUri: string;
  roleClaim: string;
  /** Claim values that grant each role (the highest match wins). */
  roleValues: { role: Role; value: string }[];
  /** Role for a user with none of those values; null refuses them. */
  defaultRole: Role | null;
  /** HMAC key for the flow cookie (the session key). */
  secret: string;
  cookieSecure: (headers: Headers) => boolean;
}

export type OidcFinish =
  | { type: 'signed-in'; user: SessionUser; roleClaims: string[]; next: string }
  | { type: 'refused'; reason: string; name: string };

export interface OidcLogin {
  readonly issuer: string;
  /** Where to send the browser, and the Set-Cookie holding the flow's secrets. */
  start(next: string, requestHeaders: Headers): Promise<{ url: string; setCookie: string }>;
  /** Completes the flow from the callback's query; the Set-Cookie clears the flow cookie. */
  finish(callbackSearch: string, requestHeaders: Headers): Promise<OidcFinish & { clearCookie: string }>;
}

const flowSchema = z.object({
  state: z.string().min(16),
  nonce: z.string().min(16),
  verifier: z.string().min(43),
  next: z.string(),
  exp: z.number().int(),
});

/** The values of the role claim (an array, or a string of values separated by spaces or commas). */
export function roleClaimValues(claims: Record<string, unknown>, roleClaim: string): string[] {
  const raw = claims[roleClaim];
  return (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [])
    .map(String)
    .filter((v) => v !== '');
}

/** The highest role any of the role claim's values grants, else the default. */
export function roleFromValues(
  claimValues: readonly string[],
  options: Pick<OidcOptions, 'roleValues' | 'defaultRole'>,
): Role | null {
  const values = new Set(claimValues);
  let best: Role | null = null;
  for (const { role, value } of options.roleValues) {
    if (values.has(value) && (best === null || roleAllows(role, best))) best = role;
  }
  return best ?? options.defaultRole;
}

export function roleFromClaims(
  claims: Record<string, unknown>,
  options: Pick<OidcOptions, 'roleClaim' | 'roleValues' | 'defaultRole'>,
): Role | null {
  return roleFromValues(roleClaimValues(claims, options.roleClaim), options);
}

/** How sessions map to roles under the current OIDC settings (sessions keep claim values, not roles). */
export function ssoMapping(options: Pick<OidcOptions, 'issuer' | 'roleValues' | 'defaultRole'>): SsoMapping {
  return { issuer: options.issuer, roleOf: (values) => roleFromValues(values, options) };
}

function nameFromClaims(claims: Record<string, unknown>): string {
  for (const key of ['preferred_username', 'email', 'sub'] as const) {
    const v = claims[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return 'unknown';
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export function createOidcLogin(options: OidcOptions): OidcLogin {
  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = () => {
    const issuer = new URL(options.issuer);
    // Plain http only to a provider on this machine (a test or laptop IdP), never over the network.
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    discovered ??= oidc
      .discovery(issuer, options.clientId, options.clientSecret, undefined, {
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = null; // try again on the next sign-in
        throw new Error(`OIDC discovery at ${options.issuer} failed: ${(error as Error).message}`);
      });
    return discovered;
  };
  const cookie = (value: string, headers: Headers, maxAgeSeconds: number) =>
    sessionSetCookie(value, { secure: options.cookieSecure(headers), maxAgeSeconds }, OIDC_FLOW_COOKIE);

  return {
    issuer: options.issuer,

    async start(next, headers) {
      const config = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const flow = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier,
        next: safeNext(next),
        exp: Date.now() + FLOW_TTL_MS,
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: 'openid profile email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      const token = signToken(flow, options.secret, FLOW_PURPOSE);
      return { url: url.href, setCookie: cookie(token, headers, FLOW_TTL_MS / 1000) };
    },

    async finish(callbackSearch, headers) {
      const clearCookie = cookie('', headers, 0);
      const token = readCookie(headers.get('cookie'), OIDC_FLOW_COOKIE);
      const flow = token ? verifyToken(token, options.secret, flowSchema, Date.now(), FLOW_PURPOSE) : null;
      if (!flow)
        return { type: 'refused', reason: 'sign-in expired or started elsewhere', name: '', clearCookie };
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(`${options.redirectUri}${callbackSearch}`),
        {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        },
      );
      let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
      // Many providers put groups only in UserInfo.
      if (!(options.roleClaim in claims) && typeof claims.sub === 'string') {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
      }
      const name = nameFromClaims(claims);
      const roleClaims = roleClaimValues(claims, options.roleClaim);
      const role = roleFromValues(roleClaims, options);
      if (!role) return { type: 'refused', reason: `no dashboard role for ${name}`, name, clearCookie };
      return { type: 'signed-in', user: { name, role }, roleClaims, next: flow.next, clearCookie };
    },
  };
}

/** OIDC_ROLES: `role:value` pairs separated by commas, e.g. `admin:perf-admins,qa:perf-qa`. */
export const oidcRolesSchema = z
  .string()
  .default('')
  .transform((v, ctx) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .flatMap((entry) => {
        const [role, ...rest] = entry.split(':');
        const value = rest.join(':');
        if (!ROLES.includes(role as Role) || value === '') {
          ctx.addIssue({
            code: 'custom',
            message: `"${entry}" is not role:value with a role of ${ROLES.join(', ')}`,
          });
          return [];
        }
        return [{ role: role as Role, value }];
      }),
  );
