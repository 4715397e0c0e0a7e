import type { Trajectory } from '../../../core/optim/race';
import type { Surface2D } from '../../../core/optim/surfaces';
import { lowestValue } from './lossGrid';
import { RacerSwatch } from './RaceLegend';
import { formatCoord, formatNumber, resultAtStep } from './raceResults';
import { ScrollRegion } from '../../../components/ScrollRegion';

/** Where each racer stands at step k: its loss and distance to the nearest minimum, or where it diverged. */
export function RaceTable({
  surface,
  trajectories,
  step,
}: {
  surface: Surface2D;
  trajectories: readonly Trajectory[];
  step: number;
}) {
  return (
    <ScrollRegion>
      <table className="stats-table race-table" data-testid="race-results">
        <caption>
          After {step} steps (the lowest possible loss is {formatNumber(lowestValue(surface))})
        </caption>
        <thead>
          <tr>
            <th scope="col">Optimiser</th>
            <th scope="col">Loss f</th>
            <th scope="col">Distance to minimum</th>
            <th scope="col">At (x, y)</th>
          </tr>
        </thead>
        <tbody>
          {trajectories.map((t) => {
            const kind = t.racer.kind;
            const r = resultAtStep(surface, t, step);
            return (
              <tr key={kind} data-testid={`race-result-${kind}`} data-diverged={r.kind === 'diverged'}>
                <th scope="row">
                  <span className="race-row-name">
                    <RacerSwatch kind={kind} />
                    {t.label}
                  </span>
                </th>
                {r.kind === 'value' ? (
                  <>
                    <td data-testid={`race-loss-${kind}`}>{formatNumber(r.point.f)}</td>
                    <td>{formatNumber(r.distance)}</td>
                    <td>
                      ({formatCoord(r.point.x)}, {formatCoord(r.point.y)})
                    </td>
                  </>
                ) : (
                  <td colSpan={3} data-testid={`race-loss-${kind}`} className="race-diverged">
                    diverged at step {r.step} (|x| or |y| passed 10⁶, or f overflowed)
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
