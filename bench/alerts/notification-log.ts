// What each system's notifications say about a series of breach trials: per trial, the first
// firing after chaos on and the first resolve after chaos off; besides them, duplicates (a second
// firing or resolve within a trial), false notifications (a firing outside any trial, or a resolve
// while the breach still lasts: a flap) and misses (no firing, or no resolve, in time).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  system: string;
  status: 'firing' | 'resolved';
  at: number;
}

export interface TrialSpan {
  /** Chaos switched on, and off. */
  t0: number;
  t1: number;
  /** The trial's end: when every system resolved, or the wait gave up. */
  end: number;
}

export interface SystemOutcome {
  system: string;
  firingMs: number[];
  resolveMs: number[];
  missedFiring: number;
  missedResolve: number;
  duplicates: number;
  falseNotifications: number;
}

export function outcomeOf(
  system: string,
  arrivals: readonly Arrival[],
  trials: readonly TrialSpan[],
): SystemOutcome {
  const own = arrivals.filter((a) => a.system === system);
  const outcome: SystemOutcome = {
    system,
    firingMs: [],
    resolveMs: [],
    missedFiring: 0,
    missedResolve: 0,
    duplicates: 0,
    falseNotifications: 0,
  };
  const attributed = new Set<Arrival>();
  for (const trial of trials) {
    const inTrial = own.filter((a) => a.at >= trial.t0 && a.at <= trial.end);
    for (const a of inTrial) attributed.add(a);
    const firings = inTrial.filter((a) => a.status === 'firing');
    const resolves = inTrial.filter((a) => a.status === 'resolved' && a.at >= trial.t1);
    const flaps = inTrial.filter((a) => a.status === 'resolved' && a.at < trial.t1);
    if (firings[0]) outcome.firingMs.push(firings[0].at - trial.t0);
    else outcome.missedFiring++;
    if (resolves[0]) outcome.resolveMs.push(resolves[0].at - trial.t1);
    else if (firings[0]) outcome.missedResolve++;
    outcome.duplicates += Math.max(0, firings.length - 1) + Math.max(0, resolves.length - 1);
    outcome.falseNotifications += flaps.length;
  }
  // A firing nobody caused; a late resolve of the last firing is not one.
  outcome.falseNotifications += own.filter((a) => !attributed.has(a) && a.status === 'firing').length;
  return outcome;
}

/** Nearest-rank percentile; null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * One webhook receiver for every system: records each notification's arrival, with the system
 * `systemOf(path, alertname)` names (Alertmanager-style payloads: status and groupLabels).
 */
export async function startWebhookReceiver(
  systemOf: (path: string, alertname: string) => string,
): Promise<{ arrivals: Arrival[]; url: string; close: () => Promise<void> }> {
  const arrivals: Arrival[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const at = Date.now();
      const payload = JSON.parse(body) as {
        status: 'firing' | 'resolved';
        groupLabels: { alertname?: string };
      };
      arrivals.push({
        system: systemOf(req.url ?? '', payload.groupLabels.alertname ?? ''),
        status: payload.status,
        at,
      });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    arrivals,
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    // Alertmanager keeps its connections open: close them too, or close() waits for them.
    close: () =>
      new Promise<void>((resolve) => {
        receiver.close(() => resolve());
        receiver.closeAllConnections();
      }),
  };
}
