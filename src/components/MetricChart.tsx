import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { makeYTick, niceTicks, xTick } from './chartAxes';
import { ChartLegend } from './ChartLegend';

/** Most points drawn per series; beyond this, steps are averaged in buckets. */
const MAX_POINTS = 150;

export interface SeriesPoint {
  step: number;
  value: number;
}

export interface Series {
  key: string;
  label: string;
  /** A CSS colour, e.g. 'var(--series-1)'. */
  color: string;
  points: readonly SeriesPoint[];
  dashed?: boolean;
  /** Dots on every point: for sparse series such as held-out evaluations. */
  dots?: boolean;
}

/** Bucket means of a long per-step series, so a chart draws at most `maxPoints`. */
export function bucketSeries(points: readonly SeriesPoint[], maxPoints = MAX_POINTS): SeriesPoint[] {
  const size = Math.max(1, Math.ceil(points.length / maxPoints));
  if (size === 1) return points.slice();
  const out: SeriesPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push({ step: bucket[bucket.length - 1].step, value: bucket.reduce((a, p) => a + p.value, 0) / bucket.length });
  }
  return out;
}

function axes(series: readonly Series[], fixed?: [number, number]) {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map((p) => p.step));
  let yDomain: [number, number];
  if (fixed) yDomain = fixed;
  else {
    const values = all.map((p) => p.value).filter(Number.isFinite);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = Math.max(hi - lo > 0 ? (hi - lo) * 0.05 : Math.abs(hi) * 0.05 || 0.05, 1e-12);
    // Losses and rates sit at or above 0; a signed series (a gradient) may go below.
    yDomain = [lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad];
  }
  return { xDomain: [0, xMax] as [number, number], xTicks: niceTicks(0, xMax, 5), yDomain, yTicks: niceTicks(yDomain[0], yDomain[1], 4) };
}

/**
 * Several series over training steps on one chart, e.g. two runs' MLM losses.
 * Axes and ticks are computed here and an HTML legend is drawn below, so
 * recharts never measures text on a redraw.
 */
export const MetricChart = memo(function MetricChart({
  series,
  label,
  caption,
  yDomain,
  digits = 2,
  empty = 'Press Train (or Step) to start the curves.',
}: {
  series: readonly Series[];
  /** Accessible name of the figure. */
  label: string;
  caption?: string;
  yDomain?: [number, number];
  digits?: number;
  empty?: string;
}) {
  const drawn = useMemo(() => series.map((s) => ({ ...s, points: bucketSeries(s.points) })), [series]);
  const hasData = drawn.some((s) => s.points.length > 0);
  const ax = useMemo(() => (hasData ? axes(drawn, yDomain) : null), [drawn, yDomain, hasData]);
  const yTick = useMemo(() => makeYTick(digits), [digits]);
  return (
    <figure className="loss-chart" aria-label={label}>
      {!ax ? (
        <div className="chart-box chart-empty">{empty}</div>
      ) : (
        <div className="chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis dataKey="step" type="number" domain={ax.xDomain} ticks={ax.xTicks} interval={0} stroke="var(--muted)" tick={xTick} />
              <YAxis type="number" domain={ax.yDomain} ticks={ax.yTicks} interval={0} stroke="var(--muted)" width={72} tick={yTick} allowDataOverflow />
              <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(s) => `step ${s}`} />
              {drawn.map((s) => (
                <Line
                  key={s.key}
                  data={s.points}
                  dataKey="value"
                  name={s.label}
                  stroke={s.color}
                  strokeDasharray={s.dashed ? '6 4' : undefined}
                  dot={s.dots ? { r: 2 } : false}
                  isAnimationActive={false}
                  strokeWidth={2}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <ChartLegend entries={series} caption={caption} />
    </figure>
  );
});
