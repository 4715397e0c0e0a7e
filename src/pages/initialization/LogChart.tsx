import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AxisTitle, niceTicks, TITLE_MARGIN_TOP, X_AXIS_HEIGHT } from '../../components/chartAxes';
import { ChartLegend } from '../../components/ChartLegend';
import { formatTick, formatValue, logDomain, logTicks } from './logAxis';

export interface XYSeries {
  key: string;
  label: string;
  color: string;
  points: readonly { x: number; y: number }[];
  dashed?: boolean;
  dots?: boolean;
}

interface TickProps {
  x: number;
  y: number;
  payload: { value: number };
}

function xTick({ x, y, payload }: TickProps) {
  return (
    <text x={x} y={y + 14} textAnchor="middle" fill="var(--muted)" fontSize="0.8em">
      {payload.value}
    </text>
  );
}

function yTick({ x, y, payload }: TickProps) {
  return (
    <text x={x - 4} y={y} textAnchor="end" dominantBaseline="middle" fill="var(--muted)" fontSize="0.8em">
      {formatTick(payload.value)}
    </text>
  );
}

/**
 * Series of positive values on a log y axis (whole decades), over a linear x
 * (layer index) or, with `xTicks`, a log x (widths 8, 16, ..., 256). Legend in
 * HTML under the chart, as in MetricChart.
 */
export const LogChart = memo(function LogChart({
  series,
  label,
  caption,
  xName,
  xTitle,
  yTitle,
  xTicks,
  testId,
  data,
}: {
  series: readonly XYSeries[];
  label: string;
  /** What x is, under the axis (e.g. 'layer'). */
  xTitle: string;
  /** The quantity on the y axis and its scale, above it. */
  yTitle: string;
  caption?: string;
  /** What x is, for the tooltip (e.g. 'layer'). */
  xName: string;
  /** Given: a log x axis with exactly these ticks. */
  xTicks?: readonly number[];
  testId?: string;
  /** data-* attributes for tests (what the drawn numbers are for). */
  data?: Record<string, string | number>;
}) {
  const ax = useMemo(() => {
    const ys = logDomain(series.flatMap((s) => s.points.map((p) => p.y)));
    const xs = series.flatMap((s) => s.points.map((p) => p.x));
    if (!ys || xs.length === 0) return null;
    const xMin = Math.min(...xs);
    const xMax = Math.max(...xs, xMin + 1);
    return {
      yDomain: ys,
      yTicks: logTicks(ys),
      xDomain: [xMin, xMax] as [number, number],
      xTicks: xTicks ? [...xTicks] : niceTicks(xMin, xMax, 6).filter((t) => Number.isInteger(t)),
    };
  }, [series, xTicks]);
  const attrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <figure className="loss-chart" aria-label={label} data-testid={testId} {...attrs}>
      {!ax ? (
        <div className="chart-box chart-empty">Computing…</div>
      ) : (
        <div className="chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: TITLE_MARGIN_TOP, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis
                dataKey="x"
                type="number"
                scale={xTicks ? 'log' : 'linear'}
                domain={ax.xDomain}
                ticks={ax.xTicks}
                interval={0}
                stroke="var(--muted)"
                tick={xTick}
                allowDataOverflow
                height={X_AXIS_HEIGHT}
                label={<AxisTitle axis="x" text={xTitle} />}
              />
              <YAxis
                type="number"
                scale="log"
                domain={ax.yDomain}
                ticks={ax.yTicks}
                interval={0}
                stroke="var(--muted)"
                width={56}
                tick={yTick}
                allowDataOverflow
                label={<AxisTitle axis="y" text={yTitle} />}
              />
              <Tooltip
                formatter={(v) => (typeof v === 'number' ? formatValue(v) : String(v))}
                labelFormatter={(x) => `${xName} ${x}`}
              />
              {series.map((s) => (
                <Line
                  key={s.key}
                  data={s.points as { x: number; y: number }[]}
                  dataKey="y"
                  name={s.label}
                  stroke={s.color}
                  strokeDasharray={s.dashed ? '6 4' : undefined}
                  dot={s.dots ? { r: 3 } : false}
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
