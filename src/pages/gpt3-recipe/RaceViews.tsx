import { useMemo } from 'react';
import { MetricChart } from '../../components/MetricChart';
import { armSeries, series, stepSeries } from '../../components/series';
import type { GptArmSpec, StepPoint } from '../../train/contract';
import { clippedShare } from './ablations';
import { ScrollRegion } from '../../components/ScrollRegion';

const finite = (pts: { step: number; value: number }[]) => pts.filter((p) => Number.isFinite(p.value));

/**
 * Drawn under the race's loss chart: every arm's gradient norm (before
 * clipping) with the threshold, how often it was exceeded, and the rows the
 * ramped arm used.
 */
export function RaceViews({
  points,
  arms,
  threshold,
}: {
  points: readonly StepPoint[];
  arms: readonly GptArmSpec[];
  threshold: number;
}) {
  const norms = useMemo(() => {
    const last = points.at(-1)?.step;
    const lines = arms.map((a, i) => armSeries(`g${i}`, a.label, i, finite(stepSeries(points, i, 'gradNorm'))));
    if (last === undefined) return lines;
    // The threshold first: with five or more arms it stays among the lines drawn by default.
    return [
      series(
        'c',
        `clipping threshold c = ${threshold}`,
        'var(--muted)',
        [
          { step: 0, value: threshold },
          { step: last, value: threshold },
        ],
        { dashed: true, short: 'c' },
      ),
      ...lines,
    ];
  }, [points, arms, threshold]);
  const shares = useMemo(
    () => arms.map((a, i) => ({ label: a.label, clipped: a.clipNorm !== null, ...clippedShare(points, i, threshold) })),
    [points, arms, threshold],
  );
  const ramped = arms.findIndex((a) => a.batchRamp);
  const rows = useMemo(
    () =>
      ramped < 0
        ? []
        : [
            armSeries('rows', `${arms[ramped].label}: rows used`, ramped, stepSeries(points, ramped, 'rows'), {
              short: arms[ramped].label,
            }),
          ],
    [points, arms, ramped],
  );
  return (
    <>
      <MetricChart
        series={norms}
        label="Gradient norm per step"
        xTitle="step"
        yTitle="gradient norm ‖g‖₂ before clipping"
        caption="Global L2 norm of the gradient before clipping; grey dashes: the threshold."
      />
      <ScrollRegion>
        <table className="stats-table" data-testid="clipped-share">
          <caption>Steps whose gradient norm exceeded c = {threshold}</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col">Steps</th>
              <th scope="col">Above c</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {shares.map((s) => (
              <tr key={s.label}>
                <th scope="row">
                  {s.label}
                  {!s.clipped && <span className="muted"> (not clipped)</span>}
                </th>
                <td>{s.steps}</td>
                <td>{s.over}</td>
                <td data-testid="clipped-share-value">{s.share === null ? '–' : `${(100 * s.share).toFixed(1)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {ramped >= 0 && (
        <MetricChart
          series={rows}
          label="Batch rows used per step"
          xTitle="step"
          yTitle="batch rows used"
          caption="Rows of the shared batch the ramped arm trained on."
          digits={0}
        />
      )}
    </>
  );
}
