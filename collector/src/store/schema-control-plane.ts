// Control-plane tables added after the first loop: alert silences and acknowledgements, the audit
// log of who did what, and each scenario's baseline run. Append-only; current state by the
// ReplacingMergeTree version column (read with FINAL or argMax).

/** Silences: one row per change (created, edited, expired); the newest UpdatedAt wins. */
export const silencesTable = `CREATE TABLE IF NOT EXISTS cp_silences (
    Id String,
    Matchers String,
    StartsAt DateTime64(3),
    EndsAt DateTime64(3),
    CreatedBy String,
    Comment String,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY Id`;

/** Acknowledgements of alert instances by fingerprint; Cleared = 1 when un-acknowledged. */
export const alertAcksTable = `CREATE TABLE IF NOT EXISTS cp_alert_acks (
    Fingerprint String,
    RuleName LowCardinality(String),
    AckedBy String,
    Comment String,
    Cleared UInt8,
    At DateTime64(3)
) ENGINE = ReplacingMergeTree(At)
ORDER BY Fingerprint`;

/** Audit log: launches, stops, silences, acknowledgements, chaos and config changes, sign-ins. */
export const auditLogTable = `CREATE TABLE IF NOT EXISTS cp_audit_log (
    At DateTime64(3),
    Actor String,
    Role LowCardinality(String),
    Action LowCardinality(String),
    Target String,
    Details String
) ENGINE = MergeTree
ORDER BY At`;

/** Why a run failed, was aborted or lost (before this column the state alone said it). */
export const runsReasonColumn = "ALTER TABLE cp_runs ADD COLUMN IF NOT EXISTS Reason String DEFAULT ''";

/** The baseline run of each scenario (the newest MarkedAt wins; RunId '' clears it). */
export const runBaselinesTable = `CREATE TABLE IF NOT EXISTS cp_run_baselines (
    Scenario LowCardinality(String),
    RunId String,
    MarkedBy String,
    MarkedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(MarkedAt)
ORDER BY Scenario`;

/**
 * Dashboard sessions: one row when a session starts, another when it is revoked (the newest
 * UpdatedAt wins). IdHash is a SHA-256 of the session id, so reading the table gives no cookie.
 */
export const sessionsTable = `CREATE TABLE IF NOT EXISTS cp_sessions (
    IdHash String,
    UserName String,
    Idp LowCardinality(String),
    Issuer String,
    RoleClaims Array(String),
    CreatedAt DateTime64(3),
    ExpiresAt DateTime64(3),
    Revoked UInt8,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY IdHash
TTL toDateTime(ExpiresAt) + INTERVAL 1 DAY`;

/**
 * API tokens (service accounts): the SHA-256 of each token's 256-bit secret, never the secret. A
 * revocation is a newer row of the same TokenId (Revoked = 1).
 */
export const apiTokensTable = `CREATE TABLE IF NOT EXISTS cp_api_tokens (
    TokenId String,
    Name String,
    Role LowCardinality(String),
    SecretHash String,
    CreatedBy String,
    CreatedAt DateTime64(3),
    ExpiresAt DateTime64(3),
    Revoked UInt8,
    RevokedBy String,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY TokenId`;

/**
 * Dashboard users made by admins in the UI (DASHBOARD_USERS stay in the environment): the scrypt
 * hash of the password, never the password. Each change (role, password, disabled) is a newer row
 * of the same Name.
 */
export const usersTable = `CREATE TABLE IF NOT EXISTS cp_users (
    Name String,
    Role LowCardinality(String),
    PasswordHash String,
    Disabled UInt8,
    CreatedBy String,
    CreatedAt DateTime64(3),
    UpdatedBy String,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY Name`;

/**
 * Every http_req_duration sample of a load-test run (k6's `--out csv`, written by the launcher):
 * exact percentiles per run, endpoint or segment in one query, merged across a distributed run's
 * processes — k6's own summaries cannot be merged, and histograms only estimate. Each chunk is
 * inserted with a deduplication token, so a retried insert that did land is stored once.
 */
export const runSamplesTable = `CREATE TABLE IF NOT EXISTS cp_run_samples (
    RunId LowCardinality(String),
    Segment LowCardinality(String),
    Name LowCardinality(String),
    Method LowCardinality(String),
    Status LowCardinality(String),
    ExpectedResponse UInt8,
    TimeUnix DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    DurationMs Float64 CODEC(ZSTD(1))
) ENGINE = MergeTree
ORDER BY (RunId, Name, TimeUnix)
SETTINGS non_replicated_deduplication_window = 10000`;

/**
 * Scheduled load-test runs (the dashboard's scheduler): a cron and IANA time zone per scenario and
 * parameters. Every change — pause, resume, a due time handled, a notification sent, a deletion
 * (Deleted = 1) — is a newer row of the same Id. DueFrom: due times after it are still to come.
 */
export const schedulesTable = `CREATE TABLE IF NOT EXISTS cp_schedules (
    Id String,
    Name String,
    Scenario LowCardinality(String),
    Params String,
    Cron String,
    TimeZone String,
    NotifyUrl String,
    NotifyFormat LowCardinality(String),
    Paused UInt8,
    Deleted UInt8,
    CreatedBy String,
    CreatedRole LowCardinality(String),
    CreatedAt DateTime64(3),
    DueFrom DateTime64(3),
    LastRunId String,
    LastOutcome String,
    LastNotice String,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY Id`;

/**
 * Alert receivers added by admins in the dashboard (webhook, Slack, PagerDuty). The secret (URL or
 * routing key) is only ever stored sealed: AES-256-GCM ciphertext, its random 12-byte IV and auth
 * tag (base64), and the id of the key that sealed it; Hint is what may be shown (a host, a key's
 * last 4). Config holds the non-secret settings as JSON (severity filter, Slack channel). Each
 * change, and a removal (Deleted = 1), is a newer row of the same ReceiverId.
 */
export const receiversTable = `CREATE TABLE IF NOT EXISTS cp_receivers (
    ReceiverId String,
    Name String,
    Kind LowCardinality(String),
    Config String,
    SecretCipher String,
    SecretIv String,
    SecretTag String,
    KeyId String,
    Hint String,
    CreatedBy String,
    CreatedAt DateTime64(3),
    UpdatedBy String,
    Deleted UInt8,
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY ReceiverId`;

/**
 * Experiments (load-tests/src/experiments): one row per change of an experiment (started, a run
 * done, ended), the newest UpdatedAt wins. RunIds links its runs (cp_runs) to it; Runs holds each
 * run's variant, repeat, settings read back and KPIs as JSON; Definition the validated definition.
 */
export const experimentsTable = `CREATE TABLE IF NOT EXISTS cp_experiments (
    ExperimentId String,
    Name String,
    State LowCardinality(String),
    Target String,
    LaunchedBy String,
    Definition String,
    OriginalSettings String,
    RunIds Array(String),
    Runs String,
    Result String,
    Reason String,
    CreatedAt DateTime64(3),
    EndedAt DateTime64(3),
    UpdatedAt DateTime64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY ExperimentId`;
