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
export function shownKeys(series: readonly Pick<Series, 'key'>[], defaults: ReadonlySet<string>, toggles: ReadonlyMap<string, boolean>): Set<string> {
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
export function measuredNear(points: readonly SeriesPoint[], step: number, spacing = typicalSpacing(points)): SeriesPoint | null {
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
    if (point && Number.isFinite(point.value)) rows.push({ key: s.key, label: s.label, color: s.color, dash: s.dash, dots: s.dots, point, exact: point.step === step });
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
