// Background delivery of queued mails (the verification mail written with each registration). The
// request only inserts into email_outbox; this loop delivers: POST to MAIL_WEBHOOK_URL when set, else
// the outbox row itself is the mailbox (marked delivered to 'outbox'). Failures retry with backoff.
import type { Database } from '../db/database.ts';
import { CLAIM_MAIL, CLAIM_MAILS, MARK_DELIVERED, MARK_FAILED } from './account-sql.ts';
import type { AuthMetrics } from './auth-metrics.ts';

export type MailSenderOptions = {
  db: Database;
  /** Unset → delivered to the outbox table. */
  webhookUrl?: string | undefined;
  metrics: AuthMetrics;
  log: { warn(object: object, message: string): void };
  pollIntervalMs?: number;
  webhookTimeoutMs?: number;
};

export type MailSender = {
  /** Asks for a delivery round now (after a mail was queued) instead of at the next poll. */
  wake(): void;
  /**
   * Delivers one queued mail now, on the caller's time (emailDelivery 'inline'): the same lease,
   * delivery, record and retry-on-failure as a background round. Resolves once it is recorded.
   */
  deliverNow(mailId: number): Promise<'delivered' | 'failed' | 'not-due'>;
  /** Stops polling and waits for the round in progress. */
  stop(): Promise<void>;
};

type QueuedMail = { id: number; recipient: string; subject: string; body: string; attempts: number };

const BATCH = 20;
const LEASE_S = 60;

export function startMailSender(options: MailSenderOptions): MailSender {
  const { db, webhookUrl, metrics, log } = options;
  // Own registrations wake the sender at once; polling only picks up retries and other instances' mail.
  const pollIntervalMs = options.pollIntervalMs ?? 10_000;
  const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastOutageLog = 0;

  async function deliver(mail: QueuedMail): Promise<void> {
    if (webhookUrl === undefined) return;
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: mail.id, to: mail.recipient, subject: mail.subject, text: mail.body }),
      signal: AbortSignal.timeout(webhookTimeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`mail webhook answered ${response.status}`);
  }

  /** Delivers a leased mail and records the outcome (a failure retries with backoff). */
  async function send(mail: QueuedMail): Promise<'delivered' | 'failed'> {
    try {
      await deliver(mail);
      await db.query(MARK_DELIVERED, [mail.id, webhookUrl === undefined ? 'outbox' : 'webhook']);
      metrics.mail('delivered');
      return 'delivered';
    } catch (error) {
      metrics.mail('failed');
      const backoffS = Math.min(3_600, 5 * 2 ** Math.min(mail.attempts, 10));
      log.warn({ err: error, mailId: mail.id, attempts: mail.attempts }, 'mail delivery failed; will retry');
      await db.query(MARK_FAILED, [mail.id, String(error).slice(0, 500), backoffS]).catch(() => undefined);
      return 'failed';
    }
  }

  async function round(): Promise<void> {
    for (;;) {
      const { rows } = await db.query<QueuedMail>(CLAIM_MAILS, [BATCH, LEASE_S]);
      await Promise.all(rows.map(send));
      if (rows.length < BATCH || stopped) return;
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = round()
      .catch((error: unknown) => {
        // Polling continues while the database is away: one line a minute, not one per poll.
        if (Date.now() - lastOutageLog < 60_000) return;
        lastOutageLog = Date.now();
        log.warn({ err: error }, 'mail outbox unavailable; will retry');
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const schedule = () => {
    timer = setTimeout(() => {
      kick();
      schedule();
    }, pollIntervalMs);
    timer.unref();
  };
  schedule();
  kick();

  return {
    wake: kick,
    async deliverNow(mailId) {
      const mail = (await db.query<QueuedMail>(CLAIM_MAIL, [mailId, LEASE_S])).rows[0];
      return mail === undefined ? 'not-due' : send(mail);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
