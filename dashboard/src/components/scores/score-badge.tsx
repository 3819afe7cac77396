// A score in its band's colour (red 0–49, orange 50–89, green 90–100), or "no data" in grey.
import { BAND_LABEL, type Band, formatScore } from '../../lib/score-view.ts';

export function ScoreBadge({
  score,
  band,
  size = 'md',
  testId,
}: {
  score: number | null;
  band: Band | null;
  size?: 'sm' | 'md' | 'lg';
  testId?: string;
}) {
  const text = formatScore(score);
  return (
    <span
      className={`score score-${size} score-${band ?? 'none'}`}
      data-testid={testId}
      data-band={band ?? 'none'}
      title={band ? BAND_LABEL[band] : 'no data in this window'}
    >
      {text}
    </span>
  );
}
