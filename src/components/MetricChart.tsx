import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { CartesianGrid, Customized, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AxisTitle, EndLabels, makeXTick, makeYTick, niceTicks, textMeasurer, type EndLabel } from './chartAxes';
import { ChartLegend, Swatch } from './ChartLegend';
import {
  chartFrame,
  dashOf,
  DEFAULT_CHART_TEXT,
  defaultShown,
  endLabelText,
  shownKeys,
  tooltipRows,
  type ChartText,
  type MeasureText,
  type Series,
  type SeriesPoint,
} from './chartModel';
import { PinnedLegend, pinnedLines, PINNED_OPACITY, type PinnedOverlay } from './PinnedRuns';

export type { Series, SeriesPoint } from './chartModel';

/** Most points drawn per series; beyond this, steps are averaged in buckets. */
const MAX_POINTS = 150;

/** Bucket means of a long per-step series, so a chart draws at most `maxPoints`; each mean carries its first step (`from`). */
export function bucketSeries(points: readonly SeriesPoint[], maxPoints = MAX_POINTS): SeriesPoint[] {
  const size = Math.max(1, Math.ceil(points.length / maxPoints));
  if (size === 1) return points.slice();
  const out: SeriesPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push({
      step: bucket[bucket.length - 1].step,
      value: bucket.reduce((a, p) => a + p.value, 0) / bucket.length,
      from: bucket[0].step,
    });
  }
  return out;
}

/** x over every series (hiding a line does not move the axis); y over the shown ones, so a hidden outlier frees the scale. */
function axes(all: readonly Series[], shown: readonly Series[], fixed?: [number, number]) {
  const xMax = Math.max(1, ...all.flatMap((s) => s.points.map((p) => p.step)));
  let yDomain: [number, number];
  if (fixed) yDomain = fixed;
  else {
    let values = shown.flatMap((s) => s.points.map((p) => p.value)).filter(Number.isFinite);
    if (values.length === 0) values = all.flatMap((s) => s.points.map((p) => p.value)).filter(Number.isFinite);
    if (values.length === 0) values = [0, 1];
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = Math.max(hi - lo > 0 ? (hi - lo) * 0.05 : Math.abs(hi) * 0.05 || 0.05, 1e-12);
    // Losses and rates sit at or above 0; a signed series (a gradient) may go below.
    yDomain = [lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad];
  }
  return {
    xDomain: [0, xMax] as [number, number],
    xTicks: niceTicks(0, xMax, 5),
    yDomain,
    yTicks: niceTicks(yDomain[0], yDomain[1], 4),
  };
}

/** Where each kind of chart text is drawn: the size of the first one found is the size of all of its kind. */
const TEXT_SELECTORS: Record<keyof ChartText, string> = {
  tick: '.recharts-cartesian-axis-tick text',
  title: '.axis-title',
  endLabel: '.end-labels text',
};
const TEXT_KINDS = Object.keys(TEXT_SELECTORS) as (keyof ChartText)[];

/**
 * The font sizes the CSS gives this chart's text (presenter mode enlarges
 * them), read from the drawn text itself; a measure of the end labels' widths
 * in their font; and the function that reads them, to be called after each
 * draw (AfterDraw). Reading a computed style while the
 * chart redraws would make the browser recompute styles every frame, so each
 * size is read once: when its first element appears, and again after the
 * figure is resized or the page's mode (the root's class) changes; on any
 * other redraw the call returns at once. Until read, a kind keeps its last
 * (or default) size.
 */
function useChartText(figure: RefObject<HTMLElement | null>): {
  text: ChartText;
  measureEnd: MeasureText;
  read: () => void;
} {
  const [text, setText] = useState<ChartText>(DEFAULT_CHART_TEXT);
  // The end labels' font family, for measuring their widths.
  const [endFamily, setEndFamily] = useState('');
  // The kinds still to be read: all of them at first and after a resize or a change of mode.
  const pending = useRef(new Set<keyof ChartText>(TEXT_KINDS));
  const read = useCallback(() => {
    const el = figure.current;
    if (!el || pending.current.size === 0) return;
    const found: Partial<ChartText> = {};
    for (const kind of [...pending.current]) {
      const node = el.querySelector(TEXT_SELECTORS[kind]);
      if (!node) continue;
      const style = getComputedStyle(node);
      const px = parseFloat(style.fontSize);
      if (px > 0) found[kind] = px;
      if (kind === 'endLabel') setEndFamily(style.fontFamily);
      pending.current.delete(kind);
    }
    if (Object.keys(found).length > 0)
      setText((t) => (TEXT_KINDS.every((k) => found[k] === undefined || found[k] === t[k]) ? t : { ...t, ...found }));
  }, [figure]);
  useEffect(() => {
    const el = figure.current;
    if (!el) return;
    const again = () => {
      for (const k of TEXT_KINDS) pending.current.add(k);
      read();
    };
    const sized = new ResizeObserver(again);
    sized.observe(el);
    const mode = new MutationObserver(again);
    mode.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => {
      sized.disconnect();
      mode.disconnect();
    };
  }, [figure, read]);
  const measureEnd = useMemo(() => textMeasurer(endFamily), [endFamily]);
  return { text, measureEnd, read };
}

/** Calls `onDraw` after every draw of the chart it is a `<Customized>` child of (its text is in the page by then). */
function AfterDraw({ onDraw }: { onDraw: () => void }) {
  useLayoutEffect(() => onDraw());
  return null;
}

const formatX = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));

/**
 * The tooltip: at the hovered x, each shown series' own value there (or at
 * its nearest point within half its spacing, with that point's x written
 * beside it). recharts' default tooltip reads every series at the hovered
 * point's index, so lines with different steps (training every step,
 * held out every 25) showed one series' value under another's name.
 */
function ChartTooltip({
  active,
  label,
  series,
  xTitle,
  digits,
}: {
  active?: boolean;
  label?: number;
  series: readonly Series[];
  xTitle: string;
  digits: number;
}) {
  if (!active || typeof label !== 'number') return null;
  const { rows, missing } = tooltipRows(series, label);
  const fmt = (v: number) => v.toFixed(Math.max(4, digits));
  return (
    <div className="chart-tooltip" data-testid="chart-tooltip">
      <p className="chart-tooltip-x">
        {xTitle} {formatX(label)}
      </p>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-series={r.key}>
              <th scope="row">
                <Swatch color={r.color} dash={r.dash} dots={r.dots} />
                {r.label}
              </th>
              <td>{fmt(r.point.value)}</td>
              {r.point.from !== undefined && r.point.from !== r.point.step ? (
                <td className="chart-tooltip-at">
                  mean of {formatX(r.point.from)}–{formatX(r.point.step)}
                </td>
              ) : (
                !r.exact && <td className="chart-tooltip-at">at {formatX(r.point.step)}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length > 0 && <p className="muted">Not measured near here: {missing.join(', ')}.</p>}
    </div>
  );
}

/**
 * Several series over training steps on one chart, e.g. two runs' MLM losses.
 * Axes, ticks, titles and end labels are computed here and drawn as plain SVG,
 * and the legend is HTML, so recharts never measures text on a redraw.
 *
 * At most five lines are drawn at first (emphasised series first, then in the
 * order given); every legend entry is a button that shows or hides its line,
 * and those choices are kept by series key while new points arrive.
 */
export const MetricChart = memo(function MetricChart({
  series,
  label,
  xTitle,
  yTitle,
  caption,
  yDomain,
  digits = 2,
  empty = 'Press Train (or Step) to start the curves.',
  pinned,
}: {
  series: readonly Series[];
  /** Accessible name of the figure. */
  label: string;
  /** What x is, e.g. 'step'. */
  xTitle: string;
  /** The metric and its unit, e.g. 'held-out loss (nats/char)'. */
  yTitle: string;
  caption?: string;
  yDomain?: [number, number];
  digits?: number;
  empty?: string;
  /** Earlier runs of the same trainer (usePinnedOverlay), drawn lighter and dashed under the current lines. */
  pinned?: PinnedOverlay;
}) {
  // The reader's choices by series key: they outlive new points, a Reset and new arms with the same keys.
  const [toggles, setToggles] = useState<ReadonlyMap<string, boolean>>(() => new Map());
  const defaults = useMemo(() => defaultShown(series), [series]);
  const shown = useMemo(() => shownKeys(series, defaults, toggles), [series, defaults, toggles]);
  const onToggle = useCallback(
    (key: string) => setToggles((m) => new Map(m).set(key, !(m.get(key) ?? defaults.has(key)))),
    [defaults],
  );
  const drawn = useMemo(() => series.map((s) => ({ ...s, points: bucketSeries(s.points), dash: dashOf(s) })), [series]);
  const visible = useMemo(() => drawn.filter((s) => shown.has(s.key)), [drawn, shown]);
  // Pinned runs the reader hid (by run id), and the pinned lines drawn: those of the series shown now.
  const [hiddenPins, setHiddenPins] = useState<ReadonlySet<string>>(() => new Set());
  const onTogglePin = useCallback(
    (id: string) =>
      setHiddenPins((h) => {
        const next = new Set(h);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  // Bucketed once per change of the pinned runs, not on every flush of the current run's points.
  const pinnedDrawn = useMemo(
    () =>
      pinned && {
        ...pinned,
        runs: pinned.runs.map((r) => ({
          ...r,
          series: r.series.map((s) => ({
            ...s,
            points: bucketSeries(s.points.filter((p) => Number.isFinite(p.value))),
          })),
        })),
      },
    [pinned],
  );
  const ghosts = useMemo(() => pinnedLines(pinnedDrawn, shown, hiddenPins), [pinnedDrawn, shown, hiddenPins]);
  const hasData = drawn.some((s) => s.points.length > 0) || ghosts.some((s) => s.points.length > 0);
  const ax = useMemo(
    () => (hasData ? axes([...drawn, ...ghosts], [...visible, ...ghosts], yDomain) : null),
    [drawn, ghosts, visible, yDomain, hasData],
  );
  const tipSeries = useMemo(() => [...visible, ...ghosts], [visible, ghosts]);
  const yTick = useMemo(() => makeYTick(digits), [digits]);
  const figureRef = useRef<HTMLElement>(null);
  const { text, measureEnd, read: readText } = useChartText(figureRef);
  const xTick = useMemo(() => makeXTick(text.tick), [text.tick]);
  // Room around the plot for this text: the y axis as wide as its longest tick label, the titles clear of the box's edges.
  const frame = useMemo(
    () =>
      ax
        ? chartFrame(
            text,
            ax.yTicks.map((t) => t.toFixed(digits)),
            ax.xTicks.map(String),
          )
        : null,
    [ax, text, digits],
  );
  const anyEmphasis = series.some((s) => s.emphasis);
  const ends = useMemo(
    () =>
      visible.flatMap((s): EndLabel[] => {
        let i = s.points.length - 1;
        while (i >= 0 && !Number.isFinite(s.points[i].value)) i--;
        const last = s.points[i];
        return last
          ? [
              {
                key: s.key,
                text: endLabelText(s),
                color: s.color,
                step: last.step,
                value: last.value,
                emphasis: s.emphasis,
              },
            ]
          : [];
      }),
    [visible],
  );
  const legend = useMemo(() => series.map((s) => ({ ...s, dash: dashOf(s) ?? '' })), [series]);
  return (
    <figure className="loss-chart" aria-label={label} ref={figureRef}>
      {!ax || !frame ? (
        <div className="chart-box chart-empty">{empty}</div>
      ) : (
        <div className="chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: frame.top, right: frame.right, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis
                dataKey="step"
                type="number"
                domain={ax.xDomain}
                ticks={ax.xTicks}
                interval={0}
                stroke="var(--muted)"
                tick={xTick}
                height={frame.xAxisHeight}
                label={<AxisTitle axis="x" text={xTitle} fontPx={text.title} />}
              />
              <YAxis
                type="number"
                domain={ax.yDomain}
                ticks={ax.yTicks}
                interval={0}
                stroke="var(--muted)"
                width={frame.yAxisWidth}
                tick={yTick}
                allowDataOverflow
                label={<AxisTitle axis="y" text={yTitle} fontPx={text.title} />}
              />
              <Tooltip
                content={<ChartTooltip series={tipSeries} xTitle={xTitle} digits={digits} />}
                isAnimationActive={false}
              />
              {ghosts.map((s) => (
                <Line
                  key={s.key}
                  data={s.points as SeriesPoint[]}
                  dataKey="value"
                  name={s.label}
                  stroke={s.color}
                  strokeDasharray={s.dash}
                  strokeOpacity={PINNED_OPACITY}
                  dot={s.dots ? { r: 2, fill: s.color, strokeWidth: 0, fillOpacity: PINNED_OPACITY } : false}
                  activeDot={false}
                  isAnimationActive={false}
                  strokeWidth={1.5}
                />
              ))}
              {visible.map((s) => {
                const faint = anyEmphasis && !s.emphasis;
                return (
                  <Line
                    key={s.key}
                    data={s.points as SeriesPoint[]}
                    dataKey="value"
                    name={s.label}
                    stroke={s.color}
                    strokeDasharray={s.dash}
                    strokeOpacity={faint ? 0.45 : 1}
                    dot={
                      s.dots
                        ? { r: s.emphasis ? 3 : 2.5, fill: s.color, strokeWidth: 0, fillOpacity: faint ? 0.45 : 1 }
                        : false
                    }
                    activeDot={false}
                    isAnimationActive={false}
                    strokeWidth={s.emphasis ? 3 : faint ? 1.5 : 2}
                  />
                );
              })}
              <Customized component={<EndLabels labels={ends} fontPx={text.endLabel} measure={measureEnd} />} />
              <Customized component={<AfterDraw onDraw={readText} />} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <ChartLegend entries={legend} caption={caption} shown={shown} onToggle={onToggle} />
      {pinned && pinned.runs.length > 0 && <PinnedLegend overlay={pinned} hidden={hiddenPins} onToggle={onTogglePin} />}
    </figure>
  );
});
