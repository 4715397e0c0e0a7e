import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalPoint, StepPoint } from '../train/protocol';

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
  const heldOut = useMemo(() => evals.map((e) => ({ step: e.step, heldOut: e.heldOutLoss })), [evals]);
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
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDuplicatedCategory={false} stroke="var(--muted)" />
              <YAxis domain={['auto', 'auto']} stroke="var(--muted)" width={60} tickFormatter={(v: number) => v.toFixed(2)} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(s) => `step ${s}`} />
              <Legend />
              <Line
                data={train}
                dataKey="loss"
                name={bucket > 1 ? `training loss (mean of ${bucket} steps)` : 'training loss'}
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
      <figcaption className="muted">Loss is the mean -log p per token, in nats.</figcaption>
    </figure>
  );
});
