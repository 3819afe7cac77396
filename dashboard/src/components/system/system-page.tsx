'use client';
// The System page: the collector's own health, live — how fast data arrives and lands, what is
// refused or dropped, how full the on-disk queue is, and whether the store answers.
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import { appendBounded, type CollectorRates } from '../../lib/collector-health.ts';
import { formatCount, formatMs, formatPercent } from '../../lib/format.ts';
import type { SystemSnapshot } from '../../server/routers/system.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { BigNumber } from '../big-number.tsx';
import { type ChartSeries, TimeSeriesChart } from '../time-series-chart.tsx';

const HISTORY = 150; // 5 min at one snapshot every 2 s

const perSec = (v: number | null | undefined) =>
  v === null || v === undefined ? 'no data' : v < 10 ? `${v.toFixed(1)}/s` : `${formatCount(v)}/s`;

function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'no data';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

type ProbePoint = {
  t: number;
  probeMs: number | null;
  insertP50Ms: number | null;
  insertP95Ms: number | null;
};
const STORE_LATENCY: ChartSeries<ProbePoint>[] = [
  { key: 'insertP50Ms', label: 'insert p50 (collector, last minute)', color: '#16a34a' },
  { key: 'insertP95Ms', label: 'insert p95 (collector, last minute)', color: '#d97706' },
  { key: 'probeMs', label: 'SELECT 1 from the dashboard', color: '#334155' },
];

const INGEST: ChartSeries<CollectorRates>[] = [
  { key: 'pointsPerSec', label: 'metric points', color: '#2563eb' },
  { key: 'spansPerSec', label: 'spans', color: '#7c3aed' },
  { key: 'logsPerSec', label: 'log records', color: '#0d9488' },
];
const ROWS: ChartSeries<CollectorRates>[] = [
  { key: 'writtenRowsPerSec', label: 'written', color: '#16a34a' },
  { key: 'queuedRowsPerSec', label: 'queued', color: '#d97706' },
  { key: 'replayedRowsPerSec', label: 'replayed', color: '#0891b2' },
  { key: 'droppedRowsPerSec', label: 'dropped', color: '#dc2626' },
];
const REFUSALS: ChartSeries<CollectorRates>[] = [
  { key: 'rejectedPerSec', label: 'items rejected', color: '#dc2626' },
  { key: 'refusedRequestsPerSec', label: 'requests refused', color: '#f97316' },
  { key: 'insertFailuresPerSec', label: 'insert failures', color: '#7f1d1d' },
];

export function SystemPage() {
  const trpc = useTRPC();
  const [rates, setRates] = useState<CollectorRates[]>([]);
  const [probes, setProbes] = useState<ProbePoint[]>([]);
  const [latest, setLatest] = useState<SystemSnapshot | null>(null);
  const sub = useSubscription(
    trpc.system.live.subscriptionOptions(undefined, {
      onData: (snapshot) => {
        setLatest(snapshot);
        const r = snapshot.rates;
        if (r) setRates((prev) => appendBounded(prev, r, HISTORY));
        setProbes((prev) =>
          appendBounded(
            prev,
            {
              t: snapshot.at,
              probeMs: snapshot.store.probeMs,
              insertP50Ms: snapshot.store.insertLatency?.p50Ms ?? null,
              insertP95Ms: snapshot.store.insertLatency?.p95Ms ?? null,
            },
            HISTORY,
          ),
        );
      },
    }),
  );
  const now = latest?.at ?? 0;
  const domain = [now - HISTORY * 2_000, now] as const;
  const current = rates[rates.length - 1] ?? null;
  const queue = latest?.queue ?? null;
  const losses = latest?.losses ?? null;
  const inserts = latest?.store.insertLatency ?? null;

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>System</h1>
          <p className="muted">
            The collector&apos;s own health: what arrives, what lands in the store, what is refused or
            dropped.
          </p>
        </div>
      </div>
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
              label="Queue"
              value={queue ? formatBytes(queue.bytes) : 'no data'}
              hint={
                queue
                  ? `${queue.state} · ${queue.batches} batches · ${formatPercent(queue.fill)} of bound`
                  : undefined
              }
              tone={queue?.state === 'full' ? 'bad' : undefined}
              testId="sys-queue"
            />
            <BigNumber
              label="Store"
              value={latest.store.probeError ? 'down' : formatMs(latest.store.probeMs)}
              hint={
                latest.store.collectorWritesOk === false
                  ? `collector writes failing: ${latest.store.collectorWriteError}`
                  : 'round trip from this process'
              }
              tone={latest.store.probeError || latest.store.collectorWritesOk === false ? 'bad' : 'ok'}
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
                  ? `${formatCount(inserts.inserts ?? 0)} inserts by the collector in the last minute`
                  : 'no data from the collector'
              }
              testId="sys-insert-latency"
            />
          </section>
          <section className="charts">
            <TimeSeriesChart
              title="Ingest (items/s)"
              data={rates}
              series={INGEST}
              domain={domain}
              formatY={(v) => perSec(v)}
              testId="sys-ingest-chart"
              yMinTop={1}
            />
            <div className="chart-pair">
              <TimeSeriesChart
                title="Rows into the store (rows/s)"
                data={rates}
                series={ROWS}
                domain={domain}
                formatY={(v) => perSec(v)}
                testId="sys-rows-chart"
                yMinTop={1}
              />
              <TimeSeriesChart
                title="Refused and failed (/s)"
                data={rates}
                series={REFUSALS}
                domain={domain}
                formatY={(v) => perSec(v)}
                testId="sys-refused-chart"
                yMinTop={1}
              />
            </div>
            <TimeSeriesChart
              title="Store latency (ms)"
              data={probes}
              series={STORE_LATENCY}
              domain={domain}
              formatY={(v) => formatMs(v)}
              testId="sys-store-chart"
              height={160}
              yMinTop={1}
            />
          </section>
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
                    bad={losses.rejectedItems > 0}
                    testId="sys-rejected"
                  />
                  <Row
                    label="Requests refused: malformed / unauthorised / throttled"
                    value={`${formatCount(losses.badRequests)} / ${formatCount(losses.unauthorizedRequests)} / ${formatCount(losses.throttledRequests)}`}
                    bad={losses.badRequests + losses.throttledRequests > 0}
                    testId="sys-refused"
                  />
                  <Row
                    label="Rows dropped (dead-lettered)"
                    value={formatCount(losses.droppedRows)}
                    bad={losses.droppedRows > 0}
                    testId="sys-dropped"
                  />
                  <Row
                    label="Insert / replay failures"
                    value={`${formatCount(losses.insertFailures)} / ${formatCount(losses.replayFailures)}`}
                    bad={losses.insertFailures > 0}
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
