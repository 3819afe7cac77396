'use client';
// The System page: the collector's own health — how fast data arrives and lands, what is refused
// (and from whom) or dropped, how full the on-disk queue is, and whether the store answers. Charts
// show the chosen range (?range=) from the collector's self-telemetry in the store, with live
// snapshots at the right edge; colours follow the thresholds in lib/system-thresholds.ts.
import { useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { appendBounded, type CollectorRates } from '../../lib/collector-health.ts';
import { formatCount, formatMs, formatPercent } from '../../lib/format.ts';
import { SYSTEM_THRESHOLDS, thresholdText, toneOf, worseTone } from '../../lib/system-thresholds.ts';
import { parseTimeRange, TIME_RANGES, type TimeRange } from '../../lib/time-range.ts';
import type { SystemSnapshot } from '../../server/routers/system.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { BigNumber } from '../big-number.tsx';
import { RangePicker } from '../overview/range-picker.tsx';
import { RefusalsTable } from './refusals-table.tsx';
import { type ProbePoint, perSec, SystemCharts } from './system-charts.tsx';

const LIVE_POINTS = 150; // 5 min at one snapshot every 2 s, appended after the stored history
const HISTORY_REFRESH_MS = 60_000;
const T = SYSTEM_THRESHOLDS;
const isBad = (n: number) => toneOf(n, T.losses) === 'bad';

function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'no data';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function SystemPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const range = parseTimeRange(searchParams.get('range'));
  const setRange = (next: TimeRange) => {
    const params = new URLSearchParams(searchParams.toString());
    params.set('range', next);
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  };
  const [rates, setRates] = useState<CollectorRates[]>([]);
  const [probes, setProbes] = useState<ProbePoint[]>([]);
  const [latest, setLatest] = useState<SystemSnapshot | null>(null);
  const history = useQuery(
    trpc.system.history.queryOptions({ range }, { refetchInterval: HISTORY_REFRESH_MS }),
  );
  const stored = history.data?.range === range ? history.data : undefined;
  const sub = useSubscription(
    trpc.system.live.subscriptionOptions(
      { range },
      {
        onData: (snapshot) => {
          setLatest(snapshot);
          const r = snapshot.rates;
          if (r) setRates((prev) => appendBounded(prev, r, LIVE_POINTS));
          setProbes((prev) =>
            appendBounded(
              prev,
              {
                t: snapshot.at,
                probeMs: snapshot.store.probeMs,
                insertP50Ms: snapshot.store.insertLatency?.p50Ms ?? null,
                insertP95Ms: snapshot.store.insertLatency?.p95Ms ?? null,
              },
              LIVE_POINTS,
            ),
          );
        },
      },
    ),
  );
  const now = latest?.at ?? stored?.to ?? 0;
  const domain = [now - TIME_RANGES[range].seconds * 1000, now] as const;
  const current = rates[rates.length - 1] ?? null;
  const queue = latest?.queue ?? null;
  const losses = latest?.losses ?? null;
  const inserts = latest?.store.insertLatency ?? null;
  const storeTone = worseTone(
    latest?.store.probeError || latest?.store.collectorWritesOk === false ? 'bad' : null,
    toneOf(latest?.store.probeMs, T.storeRoundTripMs),
  );
  const lossesNow = current
    ? current.rejectedPerSec +
      current.refusedRequestsPerSec +
      current.droppedRowsPerSec +
      current.insertFailuresPerSec
    : null;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>System</h1>
          <p className="muted">
            The collector&apos;s own health: what arrives, what lands in the store, what is refused or
            dropped, and who sent it.
          </p>
        </div>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {history.error ? <p className="error-box">Stored history not read: {history.error.message}</p> : null}
      {sub.error ? <p className="error-box">Live connection lost: {sub.error.message}</p> : null}
      {!latest ? <p className="muted">Connecting…</p> : null}
      {latest?.collector.mode === 'separate' ? (
        <p className="note" data-testid="collector-separate">
          {latest.collector.found
            ? `The collector runs in its own process: these figures come from the telemetry it writes about itself (service "${latest.collector.serviceName}"), averaged over the last minute.`
            : `The collector runs in its own process and has written no telemetry about itself (service "${latest.collector.serviceName}") in the last minute: is it running, with COLLECTOR_SELF_TELEMETRY_INTERVAL above 0?`}
        </p>
      ) : null}
      {latest ? (
        <>
          <section className="numbers" aria-label="Ingest now">
            <BigNumber label="Metric points in" value={perSec(current?.pointsPerSec)} testId="sys-points" />
            <BigNumber label="Spans in" value={perSec(current?.spansPerSec)} testId="sys-spans" />
            <BigNumber label="Rows written" value={perSec(current?.writtenRowsPerSec)} testId="sys-written" />
            <BigNumber
              label="Refused or lost"
              value={perSec(lossesNow)}
              hint={`items rejected, requests refused, rows dropped, failed inserts · ${thresholdText(T.losses)}`}
              tone={toneOf(lossesNow, T.losses) ?? undefined}
              title={`Any refused, rejected or dropped item is someone's missing data: ${thresholdText(T.losses)}`}
              testId="sys-losses"
            />
            <BigNumber
              label="Queue"
              value={queue ? formatBytes(queue.bytes) : 'no data'}
              hint={
                queue
                  ? queue.maxBytes > 0
                    ? `${queue.state} · ${queue.batches} batches · ${formatPercent(queue.fill)} of bound · ${thresholdText(T.queueFill)}`
                    : `${queue.state} · ${queue.batches} batches`
                  : undefined
              }
              tone={
                queue?.state === 'full'
                  ? 'bad'
                  : queue && queue.maxBytes > 0
                    ? (toneOf(queue.fill, T.queueFill) ?? undefined)
                    : undefined
              }
              title={`Share of the queue's bound: ${thresholdText(T.queueFill)}`}
              testId="sys-queue"
            />
            <BigNumber
              label="Store"
              value={latest.store.probeError ? 'down' : formatMs(latest.store.probeMs)}
              hint={
                latest.store.collectorWritesOk === false
                  ? `collector writes failing: ${latest.store.collectorWriteError}`
                  : `round trip from this process · ${thresholdText(T.storeRoundTripMs)}`
              }
              tone={storeTone ?? undefined}
              title={`SELECT 1 from the dashboard: ${thresholdText(T.storeRoundTripMs)}`}
              testId="sys-store"
            />
            <BigNumber
              label="Store insert p50 / p95"
              value={
                inserts && inserts.p50Ms !== null
                  ? `${formatMs(inserts.p50Ms)} / ${formatMs(inserts.p95Ms)}`
                  : 'no inserts'
              }
              hint={
                inserts
                  ? `${formatCount(inserts.inserts ?? 0)} inserts by the collector in the last minute · p95 ${thresholdText(T.storeInsertP95Ms)}`
                  : 'no data from the collector'
              }
              tone={toneOf(inserts?.p95Ms, T.storeInsertP95Ms) ?? undefined}
              title={`The collector's insert p95: ${thresholdText(T.storeInsertP95Ms)}`}
              testId="sys-insert-latency"
            />
          </section>
          <SystemCharts history={stored} liveRates={rates} liveProbes={probes} domain={domain} />
          <RefusalsTable refusals={latest.refusals} range={range} now={latest.at} />
          {losses ? (
            <section className="panel">
              <h2>Since the collector started</h2>
              <table className="table compact" data-testid="sys-totals">
                <tbody>
                  <Row
                    label="Items received"
                    value={
                      latest.totals
                        ? formatCount(
                            latest.totals.received.points +
                              latest.totals.received.spans +
                              latest.totals.received.logs,
                          )
                        : 'no data'
                    }
                  />
                  <Row
                    label="Rows written / queued / replayed"
                    value={
                      latest.totals
                        ? `${formatCount(latest.totals.writtenRows)} / ${formatCount(latest.totals.queuedRows)} / ${formatCount(latest.totals.replayedRows)}`
                        : 'no data'
                    }
                  />
                  <Row
                    label="Items rejected (invalid)"
                    value={formatCount(losses.rejectedItems)}
                    bad={isBad(losses.rejectedItems)}
                    testId="sys-rejected"
                  />
                  <Row
                    label="Requests refused: malformed / unauthorised / throttled"
                    value={`${formatCount(losses.badRequests)} / ${formatCount(losses.unauthorizedRequests)} / ${formatCount(losses.throttledRequests)}`}
                    bad={isBad(losses.badRequests + losses.unauthorizedRequests + losses.throttledRequests)}
                    testId="sys-refused"
                  />
                  <Row
                    label="Rows dropped (dead-lettered)"
                    value={formatCount(losses.droppedRows)}
                    bad={isBad(losses.droppedRows)}
                    testId="sys-dropped"
                  />
                  <Row
                    label="Insert / replay failures"
                    value={`${formatCount(losses.insertFailures)} / ${formatCount(losses.replayFailures)}`}
                    bad={isBad(losses.insertFailures)}
                  />
                  <Row label="Request bytes in flight" value={formatBytes(latest.inFlightBytes)} />
                  <Row label="Store" value={latest.store.describe} />
                </tbody>
              </table>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function Row({
  label,
  value,
  bad,
  testId,
}: {
  label: string;
  value: string;
  bad?: boolean;
  testId?: string;
}) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className={bad ? 'bad-text' : undefined} data-testid={testId}>
        {value}
      </td>
    </tr>
  );
}
