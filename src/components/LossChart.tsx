import { memo, useMemo } from 'react';
import type { EvalPoint, StepPoint } from '../train/contract';
import { MetricChart, type Series } from './MetricChart';
import { usePinnedOverlay } from './usePinnedRuns';

export { niceTicks } from './chartAxes';

/** A single model's curves: training loss per step (arm 0's look) and held-out loss (dots); also each pinned run's. */
function lossCurves(points: readonly StepPoint[], evals: readonly EvalPoint[]): Series[] {
  return [
    {
      key: 'train',
      label: 'training loss',
      short: 'training',
      color: 'var(--series-1)',
      points: points.map((p) => ({ step: p.step, value: p.loss })),
    },
    {
      key: 'held',
      label: 'held-out loss',
      short: 'held out',
      color: 'var(--series-2)',
      dots: true,
      points: evals.map((e) => ({ step: e.step, value: e.heldOutLoss })),
    },
  ];
}

const ONE_ARM: readonly string[] = [];

/**
 * A single model's training loss (per step, bucket-averaged when long) and
 * held-out loss: MetricChart's axes, titles, tooltip and legend, with the
 * look of arm 0 (solid) for training and of the held-out kind (dots) for the
 * evaluations. Inside a trainer card, its pinned runs are drawn too.
 */
export const LossChart = memo(function LossChart({
  points,
  evals,
}: {
  points: readonly StepPoint[];
  evals: readonly EvalPoint[];
}) {
  const series = useMemo(() => lossCurves(points, evals), [points, evals]);
  const pinned = usePinnedOverlay(lossCurves, ONE_ARM);
  return (
    <MetricChart
      series={series}
      label="Loss curve"
      xTitle="step"
      yTitle="loss (nats/token)"
      caption="Loss is the mean -log p per token; held out every 25 steps. A long training curve is drawn as means of equal runs of steps."
      empty="Press Train (or Step) to start the loss curve."
      pinned={pinned}
    />
  );
});
