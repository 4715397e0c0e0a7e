// The pure parts of MetricChart, tested without a DOM: the series types, which
// series are drawn before the reader toggles any, the dash pattern of each
// line, what the tooltip lists at a hovered step, and where the end labels go.

export interface SeriesPoint {
  step: number;
  value: number;
  /** A bucket mean (bucketSeries): the first step averaged into it; `step` is the last. */
  from?: number;
}

export interface Series {
  key: string;
  label: string;
  /** The name written at the end of the line (default: label). Keep it to a few words: the arm's name. */
  short?: string;
  /** A CSS colour, e.g. 'var(--series-1)'. */
  color: string;
  points: readonly SeriesPoint[];
  /** An SVG dash pattern, e.g. an arm's (armStyle in series.ts); '' or absent: solid. */
  dash?: string;
  /** A reference or variant line (a threshold, an uncorrected estimate): REFERENCE_DASH, unless `dash` is given. */
  dashed?: boolean;
  /** Dots on every point: for sparse series such as held-out evaluations. */
  dots?: boolean;
  /**
   * One of the lines the demo is about (e.g. the two arms of the lecture's
   * claim): drawn thicker at full opacity, and the others lighter, whenever
   * any series of the chart is emphasised. Emphasised series are shown first.
   */
  emphasis?: boolean;
}

/** Most lines drawn before the reader asks for more: beyond five, a chart reads as a tangle. */
export const MAX_SHOWN = 5;

/** The dash of `dashed` lines: thresholds, ceilings, raw-against-corrected variants of one colour. */
export const REFERENCE_DASH = '6 4';

/** The SVG dash pattern a series is drawn with (undefined: solid). */
export function dashOf(s: Pick<Series, 'dash' | 'dashed'>): string | undefined {
  if (s.dash !== undefined) return s.dash === '' ? undefined : s.dash;
  return s.dashed ? REFERENCE_DASH : undefined;
}

/**
 * The keys drawn by default: the first `max` by priority, emphasised series
 * first, then the others in the order given (so a caller puts the lines that
 * matter most first).
 */
export function defaultShown(series: readonly Pick<Series, 'key' | 'emphasis'>[], max = MAX_SHOWN): Set<string> {
  const order = [...series.filter((s) => s.emphasis), ...series.filter((s) => !s.emphasis)];
  return new Set(order.slice(0, max).map((s) => s.key));
}

/** The keys drawn now: the reader's toggles (by key, so they outlive new data) over the defaults. */
export function shownKeys(
  series: readonly Pick<Series, 'key'>[],
  defaults: ReadonlySet<string>,
  toggles: ReadonlyMap<string, boolean>,
): Set<string> {
  return new Set(series.filter((s) => toggles.get(s.key) ?? defaults.has(s.key)).map((s) => s.key));
}

/** The usual distance between a series' steps (the median gap): 1 for per-step curves, 25 for evaluations every 25 steps. */
export function typicalSpacing(points: readonly SeriesPoint[]): number {
  if (points.length < 2) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) gaps.push(points[i].step - points[i - 1].step);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

/**
 * The point of one series (steps ascending) measured at `step`, or else its
 * nearest point within half the series' own spacing; null when it has none
 * there. Only this series' points are looked at: a value is never borrowed
 * from another line.
 */
export function measuredNear(
  points: readonly SeriesPoint[],
  step: number,
  spacing = typicalSpacing(points),
): SeriesPoint | null {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  // points[lo] is the first at or after `step`; points[lo - 1] the last before it.
  const after = points[lo];
  const before = points[lo - 1];
  if (after && after.step === step) return after;
  let nearest: SeriesPoint | undefined;
  if (after && before) nearest = after.step - step < step - before.step ? after : before;
  else nearest = after ?? before;
  if (!nearest || Math.abs(nearest.step - step) > spacing / 2) return null;
  return nearest;
}

export interface TooltipRow {
  key: string;
  label: string;
  color: string;
  dash?: string;
  dots?: boolean;
  point: SeriesPoint;
  /** Measured at the hovered step itself (else at point.step, the nearest within half the series' spacing). */
  exact: boolean;
}

/**
 * What the tooltip lists at a hovered step: for each series given (the shown
 * ones), its own value there; the labels of those without one near it.
 */
export function tooltipRows(
  series: readonly Pick<Series, 'key' | 'label' | 'color' | 'dash' | 'dots' | 'points'>[],
  step: number,
): { rows: TooltipRow[]; missing: string[] } {
  const rows: TooltipRow[] = [];
  const missing: string[] = [];
  for (const s of series) {
    const point = measuredNear(s.points, step);
    if (point && Number.isFinite(point.value))
      rows.push({
        key: s.key,
        label: s.label,
        color: s.color,
        dash: s.dash,
        dots: s.dots,
        point,
        exact: point.step === step,
      });
    else if (s.points.length > 0) missing.push(s.label);
  }
  return { rows, missing };
}

/**
 * Vertical positions for labels wanted at `wanted` (pixels, any order): each
 * at least `gap` from the next, kept inside [lo, hi] while they fit, moved as
 * little as this two-pass push allows. Returned in the order given.
 */
export function spreadLabels(wanted: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = wanted.map((y, i) => ({ y: Math.min(hi, Math.max(lo, y)), i })).sort((a, b) => a.y - b.y);
  // Down from the top: each at least a gap below the one above.
  for (let k = 1; k < order.length; k++) order[k].y = Math.max(order[k].y, order[k - 1].y + gap);
  // Up from the bottom: pull back whatever was pushed past hi.
  const last = order.length - 1;
  if (last >= 0) order[last].y = Math.min(order[last].y, hi);
  for (let k = last - 1; k >= 0; k--) order[k].y = Math.min(order[k].y, order[k + 1].y - gap);
  // Too many to fit: the top one stays inside and the rest run past hi.
  if (order.length > 0 && order[0].y < lo) {
    order[0].y = lo;
    for (let k = 1; k < order.length; k++) order[k].y = Math.max(order[k].y, order[k - 1].y + gap);
  }
  const out = new Array<number>(wanted.length);
  for (const o of order) out[o.i] = o.y;
  return out;
}

/** An end label's text: the short name, cut to `max` characters. */
export function endLabelText(s: Pick<Series, 'label' | 'short'>, max = 22): string {
  const text = s.short ?? s.label;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The font sizes (px) a chart's text is drawn at, as its CSS sets them: tick
 * labels, axis titles and end labels. MetricChart reads them from the drawn
 * chart (presenter mode enlarges them) and sizes its margins from them.
 */
export interface ChartText {
  tick: number;
  title: number;
  endLabel: number;
}

/** The sizes outside presenter mode: ticks and titles at 0.8em of 16 px, end labels at 12 px. */
export const DEFAULT_CHART_TEXT: ChartText = { tick: 12.8, title: 12.8, endLabel: 12 };

/**
 * Glyph metrics as shares of the font size, generous for the wide faces
 * system-ui may fall back to (DejaVu Sans): a digit's advance, an average
 * character's in a regular and in a bold name, and how far a line of text
 * reaches above and below its baseline.
 */
const DIGIT_EM = 0.64;
const CHAR_EM = 0.62;
const BOLD_CHAR_EM = 0.68;
const ASCENT_EM = 0.95;
const DESCENT_EM = 0.25;

/** An estimate of a label's width in pixels, from its length and font size, where the text cannot be measured (no canvas). */
export function textWidth(text: string, px: number, bold = false): number {
  return text.length * px * (bold ? BOLD_CHAR_EM : CHAR_EM);
}

/** A label's width in pixels at a font size, regular or bold: textWidth, or a measurement in the label's own font (MetricChart). */
export type MeasureText = (text: string, px: number, bold: boolean) => number;

/** The same for a number written with digits, a point and a sign. */
export function numberWidth(text: string, px: number): number {
  return text.length * px * DIGIT_EM;
}

/** The smallest room around the plot, the sizes at DEFAULT_CHART_TEXT: larger type widens them, smaller never narrows them. */
export const MIN_FRAME = { top: 24, right: 16, yAxisWidth: 72, xAxisHeight: 46 } as const;

/** recharts' tick line and the gap between it and the tick label, and our own gap between the label and the tick line. */
const TICK_LINE = 6 + 2;
const Y_TICK_GAP = 4;

/** Where axis titles and tick labels sit for a font size (px), shared by the axis renderers and chartFrame. */
export const textGeometry = {
  /** Baseline of an x tick label below the point recharts hands the renderer (tick line + margin below the axis). */
  xTickBaseline: (px: number) => Math.round(px * 0.92 + 2),
  /** Gap between the y title's baseline and the top of the plot. */
  yTitleGap: (px: number) => Math.round(px * 0.7),
  /** Gap between the x title's baseline and the bottom of the axis band. */
  xTitleDescent: (px: number) => Math.round(px * DESCENT_EM),
  yTickGap: Y_TICK_GAP,
};

export interface ChartFrame {
  /** LineChart margins: room for the y title above the plot, and for half the last x tick label on the right. */
  top: number;
  right: number;
  /** The y axis' band: tick lines and the longest tick label. */
  yAxisWidth: number;
  /** The x axis' band: tick lines, tick labels and the x title under them. */
  xAxisHeight: number;
}

/** Rounds up to a multiple of 4 px, so a tick label one character longer moves the plot less often. */
const up4 = (v: number) => Math.ceil(v / 4) * 4;

/**
 * The room a chart leaves around its plot for text of the given sizes and
 * tick labels, so nothing is drawn outside the chart's box (which clips).
 */
export function chartFrame(
  text: ChartText,
  yTickLabels: readonly string[],
  xTickLabels: readonly string[],
): ChartFrame {
  const widest = (labels: readonly string[]) => Math.max(0, ...labels.map((l) => numberWidth(l, text.tick)));
  const g = textGeometry;
  return {
    top: Math.max(MIN_FRAME.top, Math.ceil(g.yTitleGap(text.title) + text.title * ASCENT_EM + 2)),
    right: Math.max(MIN_FRAME.right, Math.ceil(widest(xTickLabels.slice(-1)) / 2 + 2)),
    yAxisWidth: Math.max(MIN_FRAME.yAxisWidth, up4(TICK_LINE + Y_TICK_GAP + widest(yTickLabels) + 4)),
    xAxisHeight: Math.max(
      MIN_FRAME.xAxisHeight,
      Math.ceil(
        TICK_LINE +
          g.xTickBaseline(text.tick) +
          text.tick * DESCENT_EM +
          4 +
          text.title * ASCENT_EM +
          g.xTitleDescent(text.title),
      ),
    ),
  };
}

export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface EndLabelPlace {
  /** The label's text, cut with an ellipsis where the whole name would not fit across the plot. */
  text: string;
  /** Where its end (it is right-aligned) and its baseline go. */
  x: number;
  y: number;
}

/**
 * Where each line's end label goes, for labels `px` high: right-aligned just
 * left of the line's last point and a little above it, pushed apart
 * vertically by a line height where they would collide (spreadLabels), and
 * kept inside the plot: a label that would reach past its left edge (over the
 * y axis) is moved right, and one wider than the plot is shortened.
 * `measure`: the labels' widths (by default estimated from their length).
 */
export function placeEndLabels(
  labels: readonly { text: string; x: number; y: number; bold?: boolean }[],
  plot: PlotBox,
  px: number,
  measure: MeasureText = textWidth,
): EndLabelPlace[] {
  const right = plot.left + plot.width;
  const ys = spreadLabels(
    labels.map((l) => l.y - px * 0.4),
    Math.ceil(px * 1.3),
    plot.top + px * ASCENT_EM,
    plot.top + plot.height - px * DESCENT_EM,
  );
  return labels.map((l, i) => {
    const bold = l.bold ?? false;
    const text = fitText(l.text, plot.width - 4, px, bold, measure);
    const width = measure(text, px, bold);
    const x = Math.min(right, Math.max(l.x - px / 4, plot.left + 2 + width));
    return { text, x, y: ys[i] };
  });
}

/** `text`, or the longest start of it that fits in `width` pixels at `px` with an ellipsis after it. */
export function fitText(
  text: string,
  width: number,
  px: number,
  bold = false,
  measure: MeasureText = textWidth,
): string {
  if (measure(text, px, bold) <= width) return text;
  for (let n = text.length - 1; n > 0; n--) {
    const cut = `${text.slice(0, n).trimEnd()}…`;
    if (measure(cut, px, bold) <= width) return cut;
  }
  return '…';
}
