// A score's trend as a tiny line on a fixed 0–100 scale; slices without data leave gaps.
export function Sparkline({
  values,
  width = 96,
  height = 24,
  label,
}: {
  values: readonly (number | null)[];
  width?: number;
  height?: number;
  label: string;
}) {
  const n = values.length;
  if (n === 0 || values.every((v) => v === null))
    return <span className="sparkline-empty muted">no trend yet</span>;
  const x = (i: number) => (n === 1 ? width / 2 : (i / (n - 1)) * (width - 4) + 2);
  const y = (v: number) => height - 2 - (Math.max(0, Math.min(100, v)) / 100) * (height - 4);
  const runs: string[] = [];
  let current = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (current) runs.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) runs.push(current);
  const dots = values.flatMap((v, i) => (v === null ? [] : [{ i, v }]));
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      <line x1={0} x2={width} y1={y(90)} y2={y(90)} className="sparkline-target" />
      {runs.map((d) => (
        <path key={d} d={d} className="sparkline-line" />
      ))}
      {dots.length <= 2
        ? dots.map(({ i, v }) => <circle key={i} cx={x(i)} cy={y(v)} r={2} className="sparkline-dot" />)
        : null}
    </svg>
  );
}
