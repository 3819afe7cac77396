// Accounts: register (bcrypt, verification mail queued in the same statement and sent in the
// background), login (access + refresh JWTs), refresh with rotation, logout (revocation), e-mail
// verification, and the access-token validator the API's auth hook uses.
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database.ts';
import { CREATE_ACCOUNT_TABLES } from '../db/schema.ts';
import type { DbInstrumentation, DbOperation } from '../telemetry/db-client.ts';
import { INSERT_USER_WITH_MAIL, SELECT_LOGIN, SELECT_USER, VERIFY_EMAIL } from './account-sql.ts';
import type { AuthMetrics } from './auth-metrics.ts';
import { startMailSender } from './mail-sender.ts';
import { createPasswordHasher } from './passwords.ts';
import { createRevocationStore } from './revocations.ts';
import { type AuthUser, createTokenValidator, type TokenValidator } from './token-validator.ts';
import { ACCESS_TOKEN_TTL_S, createTokenIssuer, type TokenClaims, TokenError } from './tokens.ts';

export type TokenPair = {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
};

export type Accounts = {
  /** The new user's id, or 'taken' when the e-mail is registered already. */
  register(email: string, password: string, parent?: Context): Promise<{ id: number } | 'taken'>;
  /** Tokens, or undefined for a wrong e-mail or password (the two are indistinguishable). */
  login(email: string, password: string, parent?: Context): Promise<TokenPair | undefined>;
  /** New tokens for a refresh token, which is consumed: a second use throws TokenError. */
  refresh(refreshToken: string): Promise<TokenPair>;
  /** Revokes the access token (and the refresh token when given and valid for the same user). */
  logout(accessToken: string, access: TokenClaims, refreshToken?: string): Promise<void>;
  verifyEmail(token: string, parent?: Context): Promise<boolean>;
  readonly validator: TokenValidator;
  close(): Promise<void>;
};

export type AccountsOptions = {
  db: Database;
  instrumentation: DbInstrumentation;
  metrics: AuthMetrics;
  jwtSecret: string;
  bcryptCost: number;
  redis?: Redis | undefined;
  keyPrefix: string;
  mailWebhookUrl?: string | undefined;
  mailPollIntervalMs?: number;
  log: { warn(object: object, message: string): void };
};

// Serialises schema creation across instances starting together on one server database.
const SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext('car-suggester:accounts'))";

export async function ensureAccountTables(db: Database): Promise<void> {
  await db.withSession(async (session) => {
    if (db.engine === 'pglite') return session.exec(CREATE_ACCOUNT_TABLES);
    await session.exec(`BEGIN; ${SCHEMA_LOCK}; ${CREATE_ACCOUNT_TABLES}; COMMIT;`);
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function openAccounts(options: AccountsOptions): Promise<Accounts> {
  const { db, instrumentation, metrics } = options;
  await ensureAccountTables(db);
  const run = async <T>(
    operation: DbOperation['operation'],
    text: string,
    values: unknown[],
    parent: Context | undefined,
  ) =>
    instrumentation.run({ operation, collection: 'users', text }, parent, async () => {
      return (await db.query<T>(text, values)).rows;
    });

  const loadUser = async (id: number) => (await run<AuthUser>('SELECT', SELECT_USER, [id], undefined))[0];
  const passwords = await createPasswordHasher(options.bcryptCost);
  const tokens = createTokenIssuer(options.jwtSecret);
  const revocations = createRevocationStore(options.redis, options.keyPrefix);
  const validator = createTokenValidator({
    tokens,
    revocations,
    metrics,
    loadUser,
  });
  const mail = startMailSender({
    db,
    webhookUrl: options.mailWebhookUrl,
    metrics,
    log: options.log,
    ...(options.mailPollIntervalMs === undefined ? {} : { pollIntervalMs: options.mailPollIntervalMs }),
  });

  async function issuePair(userId: number): Promise<TokenPair> {
    const [access, refresh] = await Promise.all([
      tokens.issue(userId, 'access'),
      tokens.issue(userId, 'refresh'),
    ]);
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_S,
    };
  }

  return {
    async register(email, password, parent) {
      const hash = await passwords.hash(password);
      const verifyToken = randomBytes(32).toString('base64url');
      const body = `Welcome to CarSuggester. Confirm your e-mail address: GET /api/auth/verify?token=${verifyToken}`;
      const rows = await run<{ id: number }>(
        'INSERT',
        INSERT_USER_WITH_MAIL,
        [email, hash, sha256(verifyToken), 'Confirm your e-mail address', body],
        parent,
      );
      const row = rows[0];
      if (row === undefined) return 'taken';
      mail.wake();
      return { id: row.id };
    },
    async login(email, password, parent) {
      const started = performance.now();
      let ok = false;
      try {
        const user = (
          await run<{ id: number; passwordHash: string }>('SELECT', SELECT_LOGIN, [email], parent)
        )[0];
        ok = await passwords.verify(password, user?.passwordHash);
        return ok && user !== undefined ? await issuePair(user.id) : undefined;
      } finally {
        metrics.login(ok ? 'success' : 'failure', (performance.now() - started) / 1000);
      }
    },
    async refresh(refreshToken) {
      const claims = await tokens.verify(refreshToken, 'refresh');
      if (!(await revocations.consume(claims.jti, claims.expiresAt))) {
        throw new TokenError('revoked', 'refresh token already used or revoked');
      }
      const user = await loadUser(claims.userId);
      if (user === undefined) throw new TokenError('invalid', 'unknown user');
      return issuePair(claims.userId);
    },
    async logout(accessToken, access, refreshToken) {
      validator.forget(accessToken);
      await revocations.revoke(access.jti, access.expiresAt);
      if (refreshToken === undefined) return;
      const refresh = await tokens.verify(refreshToken, 'refresh').catch(() => undefined);
      if (refresh !== undefined && refresh.userId === access.userId) {
        await revocations.revoke(refresh.jti, refresh.expiresAt);
      }
    },
    async verifyEmail(token, parent) {
      return (await run('UPDATE', VERIFY_EMAIL, [sha256(token)], parent)).length > 0;
    },
    validator,
    close: () => mail.stop(),
  };
}
