// Axis pieces shared by the charts. Plain SVG labels: recharts' own <Text>
// measures every word of every label on each redraw, which forces a layout
// of the whole page.

interface TickProps {
  x: number;
  y: number;
  payload: { value: number };
}

export function xTick({ x, y, payload }: TickProps) {
  return (
    <text x={x} y={y + 14} textAnchor="middle" fill="var(--muted)" fontSize="0.8em">
      {payload.value}
    </text>
  );
}

/** A y-axis label renderer with `digits` decimals. */
export function makeYTick(digits: number) {
  return function yTick({ x, y, payload }: TickProps) {
    return (
      <text x={x - 4} y={y} textAnchor="end" dominantBaseline="middle" fill="var(--muted)" fontSize="0.8em">
        {payload.value.toFixed(digits)}
      </text>
    );
  };
}

/** Ticks at 1, 2 or 5 times a power of ten, about `count` of them, covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  // The candidate closest to the raw step (by ratio) keeps the count near `count`.
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}
