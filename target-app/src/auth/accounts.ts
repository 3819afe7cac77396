// Accounts: register (bcrypt, verification mail queued in the same statement and sent in the
// background), login (a new session: access + refresh JWTs, the refresh token stored), refresh with
// rotation (the stored token is spent), logout (the session ends), e-mail verification, and the
// access-token validator the API's auth hook uses.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Context } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { Database } from '../db/database.ts';
import { CREATE_ACCOUNT_TABLES } from '../db/schema.ts';
import type { EmailDelivery } from '../optimisations/optimisations.ts';
import type { DbInstrumentation, DbOperation } from '../telemetry/db-client.ts';
import {
  DELETE_REFRESH_TOKEN,
  END_SESSION,
  INSERT_REFRESH_TOKEN,
  INSERT_USER_WITH_MAIL,
  ROTATE_REFRESH_TOKEN,
  SELECT_LOGIN,
  SELECT_USER,
  VERIFY_EMAIL,
} from './account-sql.ts';
import type { AuthMetrics } from './auth-metrics.ts';
import { startMailSender } from './mail-sender.ts';
import { createPasswordHasher } from './passwords.ts';
import { createRevocationStore } from './revocations.ts';
import { type AuthUser, createTokenValidator, type Session, type TokenValidator } from './token-validator.ts';
import { ACCESS_TOKEN_TTL_S, createTokenIssuer, TokenError } from './tokens.ts';

export type TokenPair = {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
};

export type Accounts = {
  /**
   * Creates the account and queues its confirmation mail, or — the address being taken — queues a
   * note to its owner. Both cost a bcrypt hash and one statement; the result is only for tests.
   */
  register(email: string, password: string, parent?: Context): Promise<'created' | 'taken'>;
  /** Tokens, or undefined for a wrong e-mail or password (the two are indistinguishable). */
  login(email: string, password: string, parent?: Context): Promise<TokenPair | undefined>;
  /**
   * New tokens for a stored refresh token, which is spent: a second use, a token of an ended session
   * or one this database never issued throws TokenError.
   */
  refresh(refreshToken: string): Promise<TokenPair>;
  /**
   * Ends the access token's session: its access tokens are revoked and its refresh tokens deleted,
   * with or without the refresh token (a given one of another session of the same user goes too).
   */
  logout(accessToken: string, session: Session, refreshToken?: string): Promise<void>;
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
  /**
   * The optimisation switches read per call; absent → the plan's behaviour (token cache on, mail
   * queued). `bcryptCost` above is then read through `passwordCost` when given.
   */
  switches?: AccountSwitches | undefined;
  log: { warn(object: object, message: string): void };
};

export type AccountSwitches = {
  passwordCost(): number;
  tokenValidationCache(): boolean;
  emailDelivery(): EmailDelivery;
};

// Serialises schema creation across instances starting together on one server database.
const SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(hashtext('car-suggester:accounts'))";

export async function ensureAccountTables(db: Database): Promise<void> {
  await db.withSession(async (session) => {
    if (db.engine === 'pglite') return session.exec(CREATE_ACCOUNT_TABLES);
    await session.exec(`BEGIN; ${SCHEMA_LOCK}; ${CREATE_ACCOUNT_TABLES}; COMMIT;`);
  });
}

// The hash of the password is computed either way (before the address is known to be taken), so a
// taken address answers in the time of a new one.
const TAKEN_SUBJECT = 'Someone tried to register with your address';
const TAKEN_BODY =
  'Someone tried to register a CarSuggester account with this e-mail address, which already has one. ' +
  'If it was you, sign in with your password instead. If not, you can ignore this mail: nothing was changed.';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function openAccounts(options: AccountsOptions): Promise<Accounts> {
  const { db, instrumentation, metrics } = options;
  await ensureAccountTables(db);
  const run = async <T>(
    operation: DbOperation['operation'],
    text: string,
    values: unknown[],
    parent: Context | undefined,
    collection = 'users',
  ) =>
    instrumentation.run({ operation, collection, text }, parent, async () => {
      return (await db.query<T>(text, values)).rows;
    });

  const loadUser = async (subject: string, sessionId: string) => {
    const row = (
      await run<AuthUser & { live: boolean }>('SELECT', SELECT_USER, [subject, sessionId], undefined)
    )[0];
    if (row === undefined) return undefined;
    const { live, ...user } = row;
    return live ? user : 'ended';
  };
  const { switches } = options;
  const passwords = await createPasswordHasher(switches?.passwordCost ?? options.bcryptCost);
  const tokens = createTokenIssuer(options.jwtSecret);
  const revocations = createRevocationStore(options.redis, options.keyPrefix);
  const validator = createTokenValidator({
    tokens,
    revocations,
    metrics,
    loadUser,
    ...(switches === undefined ? {} : { cacheEnabled: switches.tokenValidationCache }),
  });
  const mail = startMailSender({
    db,
    webhookUrl: options.mailWebhookUrl,
    metrics,
    log: options.log,
    ...(options.mailPollIntervalMs === undefined ? {} : { pollIntervalMs: options.mailPollIntervalMs }),
  });

  async function signPair(subject: string, sessionId: string) {
    const [access, refresh] = await Promise.all([
      tokens.issue(subject, sessionId, 'access'),
      tokens.issue(subject, sessionId, 'refresh'),
    ]);
    const pair: TokenPair = {
      accessToken: access.token,
      refreshToken: refresh.token,
      tokenType: 'Bearer',
      expiresIn: ACCESS_TOKEN_TTL_S,
    };
    return { pair, refresh: refresh.claims };
  }

  return {
    async register(email, password, parent) {
      const hash = await passwords.hash(password);
      const verifyToken = randomBytes(32).toString('base64url');
      const body = `Welcome to CarSuggester. Confirm your e-mail address: GET /api/auth/verify?token=${verifyToken}`;
      const rows = await run<{ id: number | null; mailId: number }>(
        'INSERT',
        INSERT_USER_WITH_MAIL,
        [email, hash, sha256(verifyToken), 'Confirm your e-mail address', body, TAKEN_SUBJECT, TAKEN_BODY],
        parent,
      );
      const mailId = rows[0]?.mailId;
      // Inline: the request waits for the delivery the background sender would do (both answers,
      // new or taken address, send one mail, so they still cost the same). Should a background
      // poll lease the mail first (it polls every 10 s), that round delivers it and this one returns.
      if (switches?.emailDelivery() === 'inline' && mailId !== undefined) await mail.deliverNow(mailId);
      else mail.wake();
      return rows[0]?.id != null ? 'created' : 'taken';
    },
    async login(email, password, parent) {
      const started = performance.now();
      let ok = false;
      try {
        const user = (
          await run<{ id: number; publicId: string; passwordHash: string }>(
            'SELECT',
            SELECT_LOGIN,
            [email],
            parent,
          )
        )[0];
        ok = await passwords.verify(password, user?.passwordHash);
        if (!ok || user === undefined) return undefined;
        const { pair, refresh } = await signPair(user.publicId, randomUUID());
        await run(
          'INSERT',
          INSERT_REFRESH_TOKEN,
          [refresh.jti, user.id, refresh.sessionId, refresh.expiresAt],
          parent,
          'refresh_tokens',
        );
        return pair;
      } finally {
        metrics.login(ok ? 'success' : 'failure', (performance.now() - started) / 1000);
      }
    },
    async refresh(refreshToken) {
      const claims = await tokens.verify(refreshToken, 'refresh');
      const next = await signPair(claims.subject, claims.sessionId);
      const stored = await run(
        'DELETE',
        ROTATE_REFRESH_TOKEN,
        [claims.jti, claims.sessionId, claims.subject, next.refresh.jti, next.refresh.expiresAt],
        undefined,
        'refresh_tokens',
      );
      if (stored.length === 0) {
        throw new TokenError('revoked', 'refresh token unknown, already used, or its session ended');
      }
      return next.pair;
    },
    async logout(accessToken, session, refreshToken) {
      const { user, claims } = session;
      validator.forget(accessToken);
      // Every access token of the session expires within ACCESS_TOKEN_TTL_S from now.
      await revocations.revoke(claims.sessionId, Math.floor(Date.now() / 1000) + ACCESS_TOKEN_TTL_S);
      await run('DELETE', END_SESSION, [claims.sessionId, user.id], undefined, 'refresh_tokens');
      if (refreshToken === undefined) return;
      const refresh = await tokens.verify(refreshToken, 'refresh').catch(() => undefined);
      if (refresh !== undefined && refresh.subject === claims.subject) {
        await run('DELETE', DELETE_REFRESH_TOKEN, [refresh.jti, user.id], undefined, 'refresh_tokens');
      }
    },
    async verifyEmail(token, parent) {
      return (await run('UPDATE', VERIFY_EMAIL, [sha256(token)], parent)).length > 0;
    },
    validator,
    close: () => mail.stop(),
  };
}
