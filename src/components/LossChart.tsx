import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalPoint, StepPoint } from '../train/protocol';
import { makeYTick, niceTicks, xTick } from './chartAxes';
import { ChartLegend } from './ChartLegend';

export { niceTicks } from './chartAxes';

/** Most points drawn per series; beyond this, steps are averaged in buckets. */
const MAX_POINTS = 150;

export function bucketMeans(points: readonly StepPoint[], maxPoints = MAX_POINTS): { step: number; loss: number }[] {
  const size = Math.max(1, Math.ceil(points.length / maxPoints));
  const out: { step: number; loss: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    const mean = bucket.reduce((a, p) => a + p.loss, 0) / bucket.length;
    out.push({ step: bucket[bucket.length - 1].step, loss: mean });
  }
  return out;
}

const yTick = makeYTick(2);

function axes(train: readonly { step: number; loss: number }[], heldOut: readonly { step: number; heldOut: number }[]) {
  const steps = [...train.map((p) => p.step), ...heldOut.map((p) => p.step)];
  const losses = [...train.map((p) => p.loss), ...heldOut.map((p) => p.heldOut)];
  const xMax = Math.max(1, ...steps);
  const yLo = Math.min(...losses);
  const yHi = Math.max(...losses);
  const pad = Math.max(0.05, (yHi - yLo) * 0.05);
  const yDomain: [number, number] = [Math.max(0, yLo - pad), yHi + pad];
  return {
    xDomain: [0, xMax] as [number, number],
    xTicks: niceTicks(0, xMax, 5),
    yDomain,
    yTicks: niceTicks(yDomain[0], yDomain[1], 4),
  };
}

/** Training loss (per step, bucket-averaged when long) and held-out loss. */
export const LossChart = memo(function LossChart({
  points,
  evals,
}: {
  points: readonly StepPoint[];
  evals: readonly EvalPoint[];
}) {
  const train = useMemo(() => bucketMeans(points), [points]);
  const bucket = Math.max(1, Math.ceil(points.length / MAX_POINTS));
  const trainName = bucket > 1 ? `training loss (mean of ${bucket} steps)` : 'training loss';
  const heldOut = useMemo(() => evals.map((e) => ({ step: e.step, heldOut: e.heldOutLoss })), [evals]);
  // Axes computed here, with round ticks, all shown (interval 0), so recharts
  // neither re-derives them nor measures label text on every redraw: that
  // measuring forced a page layout and was most of a redraw's cost.
  const { xDomain, xTicks, yDomain, yTicks } = useMemo(() => axes(train, heldOut), [train, heldOut]);
  return (
    <figure className="loss-chart" aria-label="Loss curve">
      {points.length === 0 && evals.length === 0 ? (
        <div className="chart-box chart-empty">
          Press Train (or Step) to start the loss curve.
        </div>
      ) : (
        // The box's CSS sets the height, so presenter mode can enlarge it.
        <div className="chart-box">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis dataKey="step" type="number" domain={xDomain} ticks={xTicks} interval={0} stroke="var(--muted)" tick={xTick} />
              <YAxis type="number" domain={yDomain} ticks={yTicks} interval={0} stroke="var(--muted)" width={60} tick={yTick} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(s) => `step ${s}`} />
              <Line
                data={train}
                dataKey="loss"
                name={trainName}
                stroke="var(--series-1)"
                dot={false}
                isAnimationActive={false}
                strokeWidth={2}
              />
              <Line
                data={heldOut}
                dataKey="heldOut"
                name="held-out loss"
                stroke="var(--series-2)"
                dot={{ r: 2 }}
                isAnimationActive={false}
                strokeWidth={2}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <ChartLegend
        entries={[
          { key: 'train', label: trainName, color: 'var(--series-1)' },
          { key: 'held', label: 'held-out loss', color: 'var(--series-2)' },
        ]}
        caption="Loss is the mean -log p per token, in nats."
      />
    </figure>
  );
});
