import { useMemo } from 'react';
import { MetricChart } from '../../components/MetricChart';
import { series } from '../../components/series';

/** 1 / (1 - beta^t) for t = 1..steps. */
export function correctionCurve(beta: number, steps: number): { step: number; value: number }[] {
  return Array.from({ length: steps }, (_, i) => ({ step: i + 1, value: 1 / (1 - beta ** (i + 1)) }));
}

/** Section 6b: the bias-correction factors over t, for the page's betas. */
export function BiasCorrection({ beta1, beta2 }: { beta1: number; beta2: number }) {
  const curves = useMemo(
    () => [
      series('b1', `1 / (1 − ${beta1}^t) for m`, 'var(--series-1)', correctionCurve(beta1, 200)),
      series('b2', `1 / (1 − ${beta2}^t) for v`, 'var(--series-2)', correctionCurve(beta2, 200)),
      series('sqrt', `its square root, the factor on √v`, 'var(--series-2)', correctionCurve(beta2, 200).map((p) => ({ step: p.step, value: Math.sqrt(p.value) })), { dashed: true }),
    ],
    [beta1, beta2],
  );
  return (
    <div className="panel">
      <h3>The bias-correction factors</h3>
      <MetricChart series={curves} label="Bias-correction factors" caption="Both start large and fall to 1; v's factor takes far longer because β₂ is closer to 1." empty="" />
      <p className="muted">
        At t = 1 the first-step estimate m₁ = (1 − β₁) g₁ is multiplied by {(1 / (1 - beta1)).toFixed(1)} and v₁ by{' '}
        {(1 / (1 - beta2)).toFixed(1)}, so m̂₁ / √v̂₁ = g₁ / |g₁|: a first step of exactly η. Without correction the first
        steps are η (1 − β₁) / √(1 − β₂) ≈ {((1 - beta1) / Math.sqrt(1 - beta2)).toFixed(2)} η instead. Switch “Adam bias
        correction” off in the race’s settings to see those first steps in the curves and in the table above.
      </p>
    </div>
  );
}
