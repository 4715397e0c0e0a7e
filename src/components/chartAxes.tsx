// Axis pieces shared by the charts. Plain SVG labels: recharts' own <Text>
// measures every word of every label on each redraw, which forces a layout
// of the whole page.
import { DEFAULT_CHART_TEXT, MIN_FRAME, placeEndLabels, textGeometry, textWidth, type MeasureText } from './chartModel';

interface TickProps {
  x: number;
  y: number;
  payload: { value: number };
}

/** An x-axis label renderer for labels `fontPx` high (as the CSS draws them: the label's baseline clears the tick line by that much). */
export function makeXTick(fontPx: number = DEFAULT_CHART_TEXT.tick) {
  const below = textGeometry.xTickBaseline(fontPx);
  return function xTick({ x, y, payload }: TickProps) {
    return (
      <text x={x} y={y + below} textAnchor="middle" fill="var(--muted)" fontSize="0.8em">
        {payload.value}
      </text>
    );
  };
}

export const xTick = makeXTick();

/** A y-axis label renderer with `digits` decimals. */
export function makeYTick(digits: number) {
  return function yTick({ x, y, payload }: TickProps) {
    return (
      <text
        x={x - textGeometry.yTickGap}
        y={y}
        textAnchor="end"
        dominantBaseline="middle"
        fill="var(--muted)"
        fontSize="0.8em"
      >
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
 * `fontPx`: the size the CSS draws it at, which sets its distance from the
 * plot (the chart's margins, chartFrame, leave room for it).
 */
export function AxisTitle({
  viewBox,
  text,
  axis,
  fontPx = DEFAULT_CHART_TEXT.title,
}: {
  viewBox?: ViewBox;
  text: string;
  axis: 'x' | 'y';
  fontPx?: number;
}) {
  if (!viewBox) return null;
  return axis === 'x' ? (
    <text
      className="axis-title"
      x={viewBox.x + viewBox.width}
      y={viewBox.y + viewBox.height - textGeometry.xTitleDescent(fontPx)}
      textAnchor="end"
      fill="var(--muted)"
      fontSize="0.8em"
    >
      {text}
    </text>
  ) : (
    <text
      className="axis-title"
      x={viewBox.x + 2}
      y={viewBox.y - textGeometry.yTitleGap(fontPx)}
      textAnchor="start"
      fill="var(--muted)"
      fontSize="0.8em"
    >
      {text}
    </text>
  );
}

/** Room the axis titles need at the default text size: above the plot for y, under the tick labels for x (MetricChart sizes its own with chartFrame). */
export const TITLE_MARGIN_TOP = MIN_FRAME.top;
export const X_AXIS_HEIGHT = MIN_FRAME.xAxisHeight;

export interface EndLabel {
  key: string;
  text: string;
  color: string;
  step: number;
  value: number;
  emphasis?: boolean;
}

/**
 * Widths of text in the font `family` (as computed, e.g. the end labels'),
 * measured on a canvas of its own, which lays out nothing on the page, and
 * remembered by size, weight and text: a redraw measures only new names. The
 * estimate (textWidth) where there is no canvas.
 */
export function textMeasurer(family: string): MeasureText {
  let ctx: CanvasRenderingContext2D | null | undefined;
  const known = new Map<string, number>();
  return (text, px, bold) => {
    if (ctx === undefined) {
      try {
        ctx = family && typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
      } catch {
        ctx = null;
      }
    }
    if (!ctx) return textWidth(text, px, bold);
    const key = `${px} ${bold ? 700 : 400} ${text}`;
    let width = known.get(key);
    if (width === undefined) {
      ctx.font = `${bold ? 700 : 400} ${px}px ${family}`;
      width = ctx.measureText(text).width;
      if (known.size >= 1000) known.clear();
      known.set(key, width);
    }
    return width;
  };
}

type AxisMap = Record<string, { scale: (v: number) => number }>;

/**
 * Each shown line's name at its last point, for a `<Customized>` child of the
 * chart (which hands it the axis scales and the plot's box). Anchored at the
 * end, just above the point, with a halo in the panel's colour; names that
 * would collide are pushed apart vertically, and every name is kept inside
 * the plot (placeEndLabels). `fontPx`: the size the CSS draws them at
 * (presenter mode enlarges them), which sets their spacing and widths.
 */
export function EndLabels({
  labels,
  fontPx = DEFAULT_CHART_TEXT.endLabel,
  measure = textWidth,
  xAxisMap,
  yAxisMap,
  offset,
}: {
  labels: readonly EndLabel[];
  fontPx?: number;
  /** Their widths (textMeasurer); by default estimated from their length. */
  measure?: MeasureText;
  xAxisMap?: AxisMap;
  yAxisMap?: AxisMap;
  offset?: ViewBox & { top: number; left: number };
}) {
  const xScale = xAxisMap && Object.values(xAxisMap)[0]?.scale;
  const yScale = yAxisMap && Object.values(yAxisMap)[0]?.scale;
  if (!xScale || !yScale || !offset || labels.length === 0) return null;
  const places = placeEndLabels(
    labels.map((l) => ({ text: l.text, x: xScale(l.step), y: yScale(l.value), bold: l.emphasis })),
    offset,
    fontPx,
    measure,
  );
  return (
    <g className="end-labels" aria-hidden="true">
      {labels.map((l, i) => (
        <text
          key={l.key}
          x={places[i].x}
          y={places[i].y}
          textAnchor="end"
          fill={l.color}
          stroke="var(--panel)"
          strokeWidth={3}
          paintOrder="stroke"
          fontSize="12px"
          fontWeight={l.emphasis ? 700 : 400}
        >
          {places[i].text}
        </text>
      ))}
    </g>
  );
}
