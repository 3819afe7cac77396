// Sign-in for the dashboard process: configured and UI users, cookie sessions, one scrypt queue
// for every password hash, and OpenID Connect when an issuer is set.
// The records live in the store, which the caller opens later: `client` is read per request.
import type { Store } from 'collector';
import type { DashboardEnv } from '../env.ts';
import { createAuth } from '../server/auth/auth.ts';
import { loadAuthConfig } from '../server/auth/bootstrap.ts';
import { createHashQueue } from '../server/auth/hash-queue.ts';
import { createOidcLogin, ssoMapping } from '../server/auth/oidc.ts';
import { createSessionStore } from '../server/auth/session-store.ts';
import { createUiUserStore } from '../server/auth/ui-users.ts';

export async function startAuth(
  env: DashboardEnv,
  client: () => Store['client'],
  log: (line: string) => void,
) {
  const authConfig = await loadAuthConfig(env, log);
  const sessions = createSessionStore(client, { log });
  const uiUsers = createUiUserStore(client, { log });
  // Sign-ins and the Users page's password changes share one scrypt queue (128 MiB a hash).
  const hashQueue = createHashQueue();
  const auth = createAuth({
    users: authConfig.users,
    secret: authConfig.secret,
    uiUsers,
    hashQueue,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    cookieSecure: env.COOKIE_SECURE === 'auto' ? 'auto' : env.COOKIE_SECURE === 'true',
    sessions,
    sso: env.OIDC_ISSUER
      ? ssoMapping({
          issuer: env.OIDC_ISSUER,
          roleValues: env.OIDC_ROLES,
          defaultRole: env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
        })
      : null,
  });
  const oidc = env.OIDC_ISSUER
    ? createOidcLogin({
        issuer: env.OIDC_ISSUER,
        clientId: env.OIDC_CLIENT_ID ?? '',
        clientSecret: env.OIDC_CLIENT_SECRET,
        redirectUri: `${env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`}/api/auth/oidc/callback`,
        roleClaim: env.OIDC_ROLE_CLAIM,
        roleValues: env.OIDC_ROLES,
        defaultRole: env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
        secret: authConfig.secret,
        cookieSecure: (headers) => auth.cookieSecureFor(headers),
      })
    : null;
  return { authConfig, sessions, uiUsers, hashQueue, auth, oidc };
}
