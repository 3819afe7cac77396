// SVG path data for one series of a time-series chart: a line through consecutive steps with a
// value, broken where a step has none (a gap, never a drop to 0), and a dot for each step that has
// no neighbour with a value (a line of one point would not show).

export interface LinePaths {
  /** Move/line commands through every run of consecutive values. */
  line: string;
  /** A zero-length segment (drawn as a dot with round caps) at each isolated value. */
  dots: string;
}

export function linePaths(
  rows: readonly ({ t: number } & Record<string, unknown>)[],
  key: string,
  x: (t: number) => number,
  y: (value: number) => number,
): LinePaths {
  let line = '';
  let dots = '';
  let open = false;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const value = row?.[key];
    if (row === undefined || typeof value !== 'number') {
      open = false;
      continue;
    }
    const point = `${x(row.t).toFixed(1)} ${y(value).toFixed(2)}`;
    line += `${open ? 'L' : 'M'}${point}`;
    if (!open && typeof rows[i + 1]?.[key] !== 'number') dots += `M${point}h0`;
    open = true;
  }
  return { line, dots };
}
