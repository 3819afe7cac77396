// What keeps a firing alert quiet without changing its state: silences (label matchers with a
// time span) and acknowledgements (per fingerprint, until the alert resolves). The engine keeps
// both in memory for the dispatcher's checks and writes every change to the store at once. It
// reloads them from the store only when they may have changed elsewhere: with replicas, when the
// Redis change counter that every replica bumps on a change has moved; and, as a safety net for
// writers outside the engine, every `reloadMs` (30 s). A single process applies its own changes in
// memory, so a quiet engine no longer reads both tables on every evaluation (issue 20: they were
// ~300 of ~325 store statements a minute at idle).
import { randomUUID } from 'node:crypto';
import type { Store } from 'collector';
import { AlertActionError } from '../silence/alert-action-error.ts';
import {
  type AckInput,
  type Acknowledgement,
  ackInputSchema,
  type Silence,
  type SilenceInput,
  silenceIdSchema,
  silenceInputSchema,
  silenceMatches,
  silenceState,
} from '../silence/silence.ts';
import { readAcks, readSilences, writeAck, writeSilence } from '../store/silences.ts';
import type { ChangeSignal } from './evaluator-lock.ts';

type Client = Store['client'];

/** A silence with its state at the time asked. */
export type SilenceView = Silence & { state: ReturnType<typeof silenceState> };

/** The longest the engine goes without rereading silences and acks (writers outside it). */
export const SUPPRESSION_RELOAD_MS = 30_000;

export interface SuppressionOptions {
  log?: (message: string) => void;
  /** The replicas' change counter (with a Redis lock); null for a single process. */
  changes?: ChangeSignal | null;
  reloadMs?: number;
}

export interface Suppression {
  /** Reloads silences and acknowledgements from the store. */
  refresh(now: number): Promise<void>;
  /**
   * Reloads when the copy in memory may be stale: never loaded, the clock went back, `reloadMs`
   * passed, or another replica signalled a change (or the signal cannot be read).
   */
  refreshIfStale(now: number): Promise<void>;
  /** Ids of the silences muting these labels at `now`. */
  silencedBy(labels: Record<string, string>, now: number): string[];
  ackOf(fingerprint: string): Acknowledgement | null;
  /** Why a firing notification for this alert is held back, or null. */
  reason(alert: { fingerprint: string; labels: Record<string, string> }, now: number): string | null;
  createSilence(input: SilenceInput, now: number): Promise<SilenceView>;
  expireSilence(id: string, now: number): Promise<SilenceView>;
  /** Silences not ended before `now - keepExpiredMs`, newest first. */
  listSilences(now: number, keepExpiredMs?: number): Promise<SilenceView[]>;
  acknowledge(input: AckInput, rule: string, now: number): Promise<Acknowledgement>;
  /** Clears an acknowledgement (un-ack, or the alert resolved); false when there was none. */
  clearAck(fingerprint: string, now: number): Promise<boolean>;
}

interface LocalChanges {
  silences: Silence[];
  acks: { fingerprint: string; ack: Acknowledgement | null }[];
}

export function createSuppression(client: Client, options: SuppressionOptions = {}): Suppression {
  const log = options.log ?? (() => {});
  const changes = options.changes ?? null;
  const reloadMs = options.reloadMs ?? SUPPRESSION_RELOAD_MS;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loadedVersion: string | null = null;
  let reloading: Promise<void> | null = null;
  let silences: Silence[] = [];
  /** Silences whose problem was already logged (said once, not on every evaluation). */
  const reported = new Set<string>();
  const acks = new Map<string, Acknowledgement>();
  /** Newest version written per fingerprint, so a change in the same millisecond still wins. */
  const ackVersions = new Map<string, number>();
  /**
   * Changes made here while a refresh's read was in flight: the read may predate them, so they are
   * applied again on top of it (otherwise a new silence could be forgotten for one evaluation).
   */
  const inFlight = new Set<LocalChanges>();
  const view = (s: Silence, now: number): SilenceView => ({ ...s, state: silenceState(s, now) });
  const applySilence = (changed: Silence) => {
    silences = [changed, ...silences.filter((s) => s.id !== changed.id)];
    for (const changes of inFlight) changes.silences.push(changed);
  };
  const applyAck = (fingerprint: string, ack: Acknowledgement | null) => {
    if (ack) acks.set(fingerprint, ack);
    else acks.delete(fingerprint);
    for (const changes of inFlight) changes.acks.push({ fingerprint, ack });
  };
  const nextAckVersion = (fp: string, now: number) => Math.max(now, (ackVersions.get(fp) ?? 0) + 1);
  /** Tells the other replicas (their next evaluation reloads); a single process has none. */
  const signalChange = () => changes?.bump();

  async function findSilence(id: string): Promise<Silence> {
    const parsed = silenceIdSchema.safeParse(id);
    if (!parsed.success) throw new AlertActionError(`"${id}" is not a silence id`);
    const found = (await readSilences(client)).find((s) => s.id === id);
    if (!found) throw new AlertActionError(`no silence ${id}`);
    return found;
  }

  const silencedBy = (labels: Record<string, string>, now: number) =>
    silences.filter((s) => silenceState(s, now) === 'active' && silenceMatches(s, labels)).map((s) => s.id);

  async function refresh(now: number, version: string | null = null): Promise<void> {
    // Expired silences no longer matter to notifications; pending ones soon will.
    const changes: LocalChanges = { silences: [], acks: [] };
    inFlight.add(changes);
    try {
      const [loadedSilences, loadedAcks] = await Promise.all([readSilences(client, now), readAcks(client)]);
      silences = loadedSilences;
      for (const s of loadedSilences) {
        if (s.problem === undefined || reported.has(s.id)) continue;
        reported.add(s.id);
        log(`silence ${s.id} (by ${s.createdBy}) is not applied: ${s.problem}`);
      }
      acks.clear();
      for (const a of loadedAcks) {
        acks.set(a.fingerprint, a);
        ackVersions.set(a.fingerprint, Math.max(a.at, ackVersions.get(a.fingerprint) ?? 0));
      }
    } finally {
      inFlight.delete(changes);
    }
    for (const changed of changes.silences)
      silences = [changed, ...silences.filter((x) => x.id !== changed.id)];
    for (const { fingerprint, ack } of changes.acks) {
      if (ack) acks.set(fingerprint, ack);
      else acks.delete(fingerprint);
    }
    loadedAt = now;
    loadedVersion = version;
  }

  return {
    refresh: (now) => refresh(now, loadedVersion),
    async refreshIfStale(now) {
      // Groups evaluate concurrently: those that find the copy stale together share one reload.
      if (reloading) return reloading;
      const version = changes ? await changes.version() : null;
      const stale =
        now < loadedAt ||
        now - loadedAt >= reloadMs ||
        (changes !== null && (version === null || version !== loadedVersion));
      if (!stale) return;
      reloading ??= refresh(now, version).finally(() => {
        reloading = null;
      });
      return reloading;
    },
    silencedBy,
    ackOf: (fp) => acks.get(fp) ?? null,
    reason(alert, now) {
      const ids = silencedBy(alert.labels, now);
      if (ids.length > 0) return `silenced by ${ids.join(', ')}`;
      const ack = acks.get(alert.fingerprint);
      return ack ? `acknowledged by ${ack.by}` : null;
    },
    async createSilence(input, now) {
      const parsed = silenceInputSchema.safeParse(input);
      if (!parsed.success)
        throw new AlertActionError(
          parsed.error.issues.map((i) => `${i.path.join('.') || 'silence'}: ${i.message}`).join('; '),
        );
      const startsAt = Math.max(parsed.data.startsAt ?? now, 0);
      if (parsed.data.endsAt <= now) throw new AlertActionError('endsAt: must be in the future');
      const silence: Silence = {
        id: randomUUID(),
        matchers: parsed.data.matchers,
        startsAt,
        endsAt: parsed.data.endsAt,
        createdBy: parsed.data.createdBy,
        comment: parsed.data.comment,
        updatedAt: now,
      };
      await writeSilence(client, silence);
      applySilence(silence);
      await signalChange();
      return view(silence, now);
    },
    async expireSilence(id, now) {
      const found = await findSilence(id);
      if (silenceState(found, now) === 'expired')
        throw new AlertActionError(`silence ${id} has already expired`);
      // A pending silence is expired by making it end before it starts, as Alertmanager does.
      const expired: Silence = {
        ...found,
        startsAt: Math.min(found.startsAt, now),
        endsAt: now,
        updatedAt: Math.max(now, found.updatedAt + 1),
      };
      await writeSilence(client, expired);
      applySilence(expired);
      await signalChange();
      return view(expired, now);
    },
    async listSilences(now, keepExpiredMs = 24 * 3_600_000) {
      return (await readSilences(client, now - keepExpiredMs)).map((s) => view(s, now));
    },
    async acknowledge(input, rule, now) {
      const parsed = ackInputSchema.safeParse(input);
      if (!parsed.success)
        throw new AlertActionError(
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      const ack: Acknowledgement = { ...parsed.data, rule, at: nextAckVersion(parsed.data.fingerprint, now) };
      await writeAck(client, { ...ack, cleared: false });
      applyAck(ack.fingerprint, ack);
      ackVersions.set(ack.fingerprint, ack.at);
      await signalChange();
      return ack;
    },
    async clearAck(fingerprint, now) {
      const ack = acks.get(fingerprint);
      if (!ack) return false;
      const at = nextAckVersion(fingerprint, now);
      await writeAck(client, { ...ack, at, cleared: true });
      applyAck(fingerprint, null);
      ackVersions.set(fingerprint, at);
      await signalChange();
      return true;
    },
  };
}
