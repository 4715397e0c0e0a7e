// Axis pieces shared by the charts. Plain SVG labels: recharts' own <Text>
// measures every word of every label on each redraw, which forces a layout
// of the whole page.
import { spreadLabels } from './chartModel';

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

interface ViewBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * An axis title, passed as an axis' `label` (recharts clones it with the
 * axis' viewBox). x: right-aligned under the tick labels; y: written
 * horizontally above the plot, where it reads without tilting the head.
 */
export function AxisTitle({ viewBox, text, axis }: { viewBox?: ViewBox; text: string; axis: 'x' | 'y' }) {
  if (!viewBox) return null;
  return axis === 'x' ? (
    <text className="axis-title" x={viewBox.x + viewBox.width} y={viewBox.y + viewBox.height - 3} textAnchor="end" fill="var(--muted)" fontSize="0.8em">
      {text}
    </text>
  ) : (
    <text className="axis-title" x={viewBox.x + 2} y={viewBox.y - 9} textAnchor="start" fill="var(--muted)" fontSize="0.8em">
      {text}
    </text>
  );
}

/** Room the axis titles need: above the plot for y, under the tick labels for x. */
export const TITLE_MARGIN_TOP = 24;
export const X_AXIS_HEIGHT = 46;

export interface EndLabel {
  key: string;
  text: string;
  color: string;
  step: number;
  value: number;
  emphasis?: boolean;
}

type AxisMap = Record<string, { scale: (v: number) => number }>;

/** Pixels between end-label baselines, and a rough width per character (for keeping a label off the y axis). */
const LABEL_GAP = 16;
const CHAR_PX = 6.6;

/**
 * Each shown line's name at its last point, for a `<Customized>` child of the
 * chart (which hands it the axis scales and the plot's box). Anchored at the
 * end, just above the point, with a halo in the panel's colour; names that
 * would collide are pushed apart vertically (spreadLabels).
 */
export function EndLabels({ labels, xAxisMap, yAxisMap, offset }: { labels: readonly EndLabel[]; xAxisMap?: AxisMap; yAxisMap?: AxisMap; offset?: ViewBox & { top: number; left: number } }) {
  const xScale = xAxisMap && Object.values(xAxisMap)[0]?.scale;
  const yScale = yAxisMap && Object.values(yAxisMap)[0]?.scale;
  if (!xScale || !yScale || !offset || labels.length === 0) return null;
  const top = offset.top;
  const bottom = offset.top + offset.height;
  const at = labels.map((l) => ({ x: xScale(l.step), y: yScale(l.value) }));
  const ys = spreadLabels(
    at.map((p) => p.y - 5),
    LABEL_GAP,
    top + 11,
    bottom - 3,
  );
  return (
    <g className="end-labels" aria-hidden="true">
      {labels.map((l, i) => (
        <text
          key={l.key}
          x={Math.max(at[i].x - 3, offset.left + l.text.length * CHAR_PX)}
          y={ys[i]}
          textAnchor="end"
          fill={l.color}
          stroke="var(--panel)"
          strokeWidth={3}
          paintOrder="stroke"
          fontSize="12px"
          fontWeight={l.emphasis ? 700 : 400}
        >
          {l.text}
        </text>
      ))}
    </g>
  );
}
