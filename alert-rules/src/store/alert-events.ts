// The engine's SQL, in one place: alert state transitions (cp_alert_events), notification
// attempts (cp_notifications), and the last state per alert for a restart to pick up from.
import type { Store } from 'collector';
import type { AlertState, AlertStateName, SettledState } from '../state-machine.ts';

type Client = Store['client'];

export interface AlertEvent {
  /** Unix ms of the evaluation that made the transition. */
  at: number;
  rule: string;
  fingerprint: string;
  state: AlertStateName;
  previousState: AlertStateName;
  value: number | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  activeAt: number | null;
}

export async function recordAlertEvent(client: Client, event: AlertEvent): Promise<void> {
  await client.insert({
    table: 'cp_alert_events',
    values: [
      {
        At: event.at,
        RuleName: event.rule,
        Fingerprint: event.fingerprint,
        State: event.state,
        PreviousState: event.previousState,
        Value: event.value,
        Labels: event.labels,
        Annotations: event.annotations,
        ActiveAt: event.activeAt ?? 0,
      },
    ],
    format: 'JSONEachRow',
  });
}

const eventColumns = `toUnixTimestamp64Milli(At) AS at, RuleName AS rule, Fingerprint AS fingerprint, State AS state,
  PreviousState AS previousState, Value AS value, Labels AS labels, Annotations AS annotations,
  toUnixTimestamp64Milli(ActiveAt) AS activeAt`;

/** Newest first. */
export async function recentAlertEvents(client: Client, limit: number, rule?: string): Promise<AlertEvent[]> {
  const result = await client.query({
    query: `SELECT ${eventColumns} FROM cp_alert_events
      ${rule === undefined ? '' : 'WHERE RuleName = {rule:String}'}
      ORDER BY At DESC, RuleName LIMIT {limit:UInt32}`,
    query_params: { limit, ...(rule === undefined ? {} : { rule }) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => ({
    at: Number(r.at),
    rule: String(r.rule),
    fingerprint: String(r.fingerprint),
    state: r.state as AlertStateName,
    previousState: r.previousState as AlertStateName,
    value: r.value === null ? null : Number(r.value),
    labels: r.labels as Record<string, string>,
    annotations: r.annotations as Record<string, string>,
    activeAt: Number(r.activeAt) > 0 ? Number(r.activeAt) : null,
  }));
}

export interface RestoredAlert {
  rule: string;
  fingerprint: string;
  labels: Record<string, string>;
  state: AlertState;
  value: number | null;
  /** When the last transition happened. */
  changedAt: number;
  annotations: Record<string, string>;
}

/** The current state of every alert that has ever changed state, rebuilt from its transitions. */
export async function lastAlertStates(client: Client): Promise<RestoredAlert[]> {
  const unknown = `State IN ('nodata', 'error')`;
  const result = await client.query({
    query: `SELECT Fingerprint AS fingerprint,
        argMax(RuleName, At) AS rule,
        argMax(Labels, At) AS labels,
        argMax(State, At) AS state,
        toUnixTimestamp64Milli(max(At)) AS at,
        argMax(Value, At) AS value,
        argMax(Annotations, At) AS annotations,
        argMaxIf(State, At, NOT ${unknown}) AS settledState,
        toUnixTimestamp64Milli(maxIf(At, NOT ${unknown})) AS settledAt,
        toUnixTimestamp64Milli(argMaxIf(ActiveAt, At, NOT ${unknown})) AS activeAt,
        toUnixTimestamp64Milli(maxIf(At, State = 'firing' AND PreviousState IN ('inactive', 'pending', 'resolved'))) AS firedAt
      FROM cp_alert_events GROUP BY Fingerprint`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => {
    const at = Number(r.at);
    const settledAt = Number(r.settledAt);
    const activeAt = Number(r.activeAt);
    const firedAt = Number(r.firedAt) || activeAt;
    const held = settledFrom(String(r.settledState || 'inactive') as AlertStateName, {
      settledAt,
      activeAt,
      firedAt,
    });
    const state: AlertState =
      r.state === 'nodata'
        ? { state: 'nodata', since: at, held }
        : r.state === 'error'
          ? { state: 'error', since: at, held, error: 'restored after restart' }
          : held;
    return {
      rule: String(r.rule),
      fingerprint: String(r.fingerprint),
      labels: r.labels as Record<string, string>,
      state,
      value: r.value === null ? null : Number(r.value),
      changedAt: at,
      annotations: r.annotations as Record<string, string>,
    };
  });
}

function settledFrom(
  name: AlertStateName,
  t: { settledAt: number; activeAt: number; firedAt: number },
): SettledState {
  switch (name) {
    case 'pending':
      return { state: 'pending', activeAt: t.activeAt };
    case 'firing':
      return { state: 'firing', activeAt: t.activeAt, firedAt: t.firedAt, keepFiringSince: null };
    case 'resolved':
      return { state: 'resolved', activeAt: t.activeAt, firedAt: t.firedAt, resolvedAt: t.settledAt };
    default:
      return { state: 'inactive' };
  }
}

export interface NotificationRecord {
  at: number;
  receiver: string;
  rule: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  attempt: number;
  httpStatus: number | null;
  error: string | null;
  /** Set on a notification held back (attempt 0): why, e.g. "silenced by <id>". */
  suppressed?: string | null | undefined;
}

/** A suppressed notification is a row with Attempt 0 and the reason in Error. */
export async function recordNotification(client: Client, n: NotificationRecord): Promise<void> {
  await client.insert({
    table: 'cp_notifications',
    values: [
      {
        At: n.at,
        Receiver: n.receiver,
        RuleName: n.rule,
        Fingerprint: n.fingerprint,
        Status: n.status,
        Attempt: n.suppressed ? 0 : n.attempt,
        HttpStatus: n.httpStatus ?? 0,
        Error: n.suppressed ?? n.error ?? '',
      },
    ],
    format: 'JSONEachRow',
  });
}

/** Delivery attempts, newest first. */
export async function recentNotifications(client: Client, limit: number): Promise<NotificationRecord[]> {
  const result = await client.query({
    query: `SELECT toUnixTimestamp64Milli(At) AS at, Receiver AS receiver, RuleName AS rule, Fingerprint AS fingerprint,
        Status AS status, Attempt AS attempt, HttpStatus AS httpStatus, Error AS error
      FROM cp_notifications ORDER BY At DESC, Attempt DESC LIMIT {limit:UInt32}`,
    query_params: { limit },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => {
    const suppressed = Number(r.attempt) === 0;
    return {
      at: Number(r.at),
      receiver: String(r.receiver),
      rule: String(r.rule),
      fingerprint: String(r.fingerprint),
      status: r.status as 'firing' | 'resolved',
      attempt: Number(r.attempt),
      httpStatus: Number(r.httpStatus) || null,
      error: !suppressed && r.error ? String(r.error) : null,
      suppressed: suppressed ? String(r.error) : null,
    };
  });
}
