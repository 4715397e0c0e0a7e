import { useMemo } from 'react';
import { M } from '../../components/Equation';
import { MetricChart } from '../../components/MetricChart';
import { evalSeries, series } from '../../components/series';
import type { Trainer } from '../../train/client/useTrainer';

/**
 * AdaFactor's bet, measured: how far the factored estimate R C^T / sum(R)
 * built from Adam's own v is from that full v, on the model training here.
 */
export function FactorError({ trainer }: { trainer: Trainer }) {
  const { evals } = trainer.state;
  const curve = useMemo(
    () => [
      series(
        'err',
        '‖V̂ − v‖ / ‖v‖ over all weight matrices',
        'var(--series-1)',
        evalSeries(evals, 0, 'factorError').filter((p) => p.step > 0),
        { dots: true },
      ),
    ],
    [evals],
  );
  const last = evals.at(-1)?.arms?.[0]?.factorError;
  return (
    <div className="panel" data-testid="factor-error">
      <h3>How close is the factored v to Adam’s full v?</h3>
      <p className="muted">
        Every 25 steps, each weight matrix’s Adam second moment <M>v</M> is reduced to its row sums <M>R</M> and column
        sums <M>C</M> and rebuilt as <M>{'\\hat V = R C^\\top / \\textstyle\\sum R'}</M>, AdaFactor’s estimate. The
        relative error is pooled over all matrices. It is 0 only if every <M>v</M> has rank one.
      </p>
      <MetricChart
        series={curve}
        label="Relative error of the factored second moment"
        xTitle="step"
        yTitle="relative error ‖V̂ − v‖ / ‖v‖"
        caption="Train the model to fill the curve."
        digits={3}
        empty="Train or step the model: the first point comes at step 25."
      />
      {last !== undefined && evals.at(-1)!.step > 0 && (
        <p data-testid="factor-error-value" data-value={last}>
          At step {evals.at(-1)!.step}: {(100 * last).toFixed(1)}% of v’s norm is lost by keeping {`n + m`} numbers per
          matrix instead of n × m.
        </p>
      )}
    </div>
  );
}
