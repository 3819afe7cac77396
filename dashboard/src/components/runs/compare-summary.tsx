// The top of a comparison: a verdict counting the figures that moved beyond noise, and "what
// changed most" — the biggest changes by size relative to the noise band, each with its endpoint,
// figure and direction — so a one-route regression is the first thing read, not the 41st cell.
import type { RunComparison } from 'load-tests/results';
import { changeMarker, changeText, TONE_CLASS, verdictText } from '../../lib/compare-view.ts';

/** Type-only imports from load-tests here (a client component); the totals row is named by the comparison. */
export const rowNamer = (comparison: RunComparison) => (name: string) =>
  name === comparison.totals.name ? 'All requests' : name;

export function CompareVerdict({ comparison }: { comparison: RunComparison }) {
  const worse = comparison.changes.some((c) => c.worse);
  return (
    <span className={worse ? 'bad' : 'ok'} data-testid="compare-verdict">
      {verdictText(comparison.changes)}
    </span>
  );
}

export function BiggestChanges({ comparison }: { comparison: RunComparison }) {
  const { minRequests } = comparison;
  const rowName = rowNamer(comparison);
  const top = comparison.biggestChanges;
  const anyJudged = comparison.totals.judged || comparison.endpoints.some((e) => e.judged);
  return (
    <section className="panel" data-testid="biggest-changes">
      <h2>What changed most</h2>
      {top.length > 0 ? (
        <ol>
          {top.map((c) => {
            const tone = changeMarker(c.metric, c.delta).tone;
            return (
              <li
                key={`${c.endpoint} ${c.metric}`}
                data-testid="biggest-change"
                data-endpoint={c.endpoint}
                data-metric={c.metric}
                data-tone={tone}
              >
                <span className={`${TONE_CLASS[tone]} strong`}>{changeText(c, rowName)}</span>{' '}
                <span className="muted small">{c.noiseMultiple.toFixed(1)}× the noise band</span>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="muted" data-testid="biggest-changes-none">
          {anyJudged
            ? 'Nothing changed beyond run-to-run noise.'
            : `Too few requests to judge: every row has fewer than ${minRequests} requests on a side.`}
        </p>
      )}
      <p className="muted small">
        Ranked by size against the noise band; an endpoint with fewer than {minRequests} requests in either
        run is shown below but not judged.
      </p>
    </section>
  );
}
