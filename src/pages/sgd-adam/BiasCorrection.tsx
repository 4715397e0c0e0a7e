import { useMemo } from 'react';
import { MetricChart } from '../../components/MetricChart';
import { series } from '../../components/series';

/** Steps drawn one by one at the start, where the factors change fastest. */
const EVERY_STEP = 100;
/** Further steps, spread up to the horizon; together at most the 150 points a chart draws without averaging. */
const SPREAD = 50;

/**
 * The steps t the charts draw: every step from 1 to 100 (so t = 1, where the
 * factors are largest, is drawn as it is, not averaged with t = 2), then 50
 * steps spread evenly up to where β₂^t has fallen to 1% (at least 200, at
 * most 20,000).
 */
export function chartSteps(beta2: number): number[] {
  const fade = beta2 > 0 && beta2 < 1 ? Math.ceil(Math.log(0.01) / Math.log(beta2)) : 0;
  const horizon = Math.min(20_000, Math.max(2 * EVERY_STEP, fade));
  const first = Array.from({ length: EVERY_STEP }, (_, i) => i + 1);
  const rest = Array.from({ length: SPREAD }, (_, i) =>
    Math.round(EVERY_STEP + ((i + 1) * (horizon - EVERY_STEP)) / SPREAD),
  );
  return [...first, ...rest];
}

/** 1 / (1 - beta^t) at each step t. */
export function correctionCurve(beta: number, steps: readonly number[]): { step: number; value: number }[] {
  return steps.map((t) => ({ step: t, value: 1 / (1 - beta ** t) }));
}

/**
 * Adam's step without bias correction, in units of η, for a gradient that is
 * the same at every step (ε ignored): m_t / √v_t = (1 − β₁^t) / √(1 − β₂^t)
 * times g / |g|, where the corrected step m̂_t / √v̂_t is exactly g / |g|.
 */
export function uncorrectedStep(beta1: number, beta2: number, t: number): number {
  return (1 - beta1 ** t) / Math.sqrt(1 - beta2 ** t);
}

export interface UncorrectedSummary {
  /** The uncorrected step at t = 1, in units of η. */
  first: number;
  /** The largest uncorrected step and the step it happens at. */
  peak: number;
  peakStep: number;
  /** The first t from which the uncorrected step stays within 1% of η; null if not within the steps searched. */
  settled: number | null;
}

/** What the second chart shows, summarised for the text, over the steps until both biases have faded. */
export function summariseUncorrected(beta1: number, beta2: number, maxSteps = 2_000_000): UncorrectedSummary {
  const first = uncorrectedStep(beta1, beta2, 1);
  let peak = first;
  let peakStep = 1;
  let lastOff = 0;
  let t = 1;
  for (; t <= maxSteps; t++) {
    const r = uncorrectedStep(beta1, beta2, t);
    if (r > peak) {
      peak = r;
      peakStep = t;
    }
    if (Math.abs(r - 1) > 0.01) lastOff = t;
    // Once both powers are negligible the ratio is 1 to within 1e-6 from here on.
    if (beta1 ** t < 1e-7 && beta2 ** t < 1e-7) break;
  }
  return { first, peak, peakStep, settled: t <= maxSteps ? lastOff + 1 : null };
}

const fmt = (x: number) => x.toFixed(2);
const int = (n: number) => n.toLocaleString('en-US');

/** Section 6b: the bias-correction factors over t, for the page's betas, and the uncorrected step they remove. */
export function BiasCorrection({ beta1, beta2 }: { beta1: number; beta2: number }) {
  const steps = useMemo(() => chartSteps(beta2), [beta2]);
  const curves = useMemo(
    () => [
      series('b1', `1 / (1 − ${beta1}ᵗ) for m`, 'var(--series-1)', correctionCurve(beta1, steps)),
      series('b2', `1 / (1 − ${beta2}ᵗ) for v`, 'var(--series-2)', correctionCurve(beta2, steps)),
      series(
        'sqrt',
        `its square root, the factor on √v`,
        'var(--series-2)',
        correctionCurve(beta2, steps).map((p) => ({ step: p.step, value: Math.sqrt(p.value) })),
        { dashed: true },
      ),
    ],
    [beta1, beta2, steps],
  );
  const ratio = useMemo(
    () => [
      series(
        'raw',
        'without bias correction: (1 − β₁ᵗ) / √(1 − β₂ᵗ)',
        'var(--series-3)',
        steps.map((t) => ({ step: t, value: uncorrectedStep(beta1, beta2, t) })),
      ),
      series(
        'corrected',
        'with bias correction: 1',
        'var(--muted)',
        [
          { step: 1, value: 1 },
          { step: steps[steps.length - 1], value: 1 },
        ],
        { dashed: true },
      ),
    ],
    [beta1, beta2, steps],
  );
  const s = useMemo(() => summariseUncorrected(beta1, beta2), [beta1, beta2]);
  const rises = s.peakStep > 1 && s.peak > s.first + 0.005;
  return (
    <div className="panel">
      <h3>The bias-correction factors</h3>
      <MetricChart
        series={curves}
        label="Bias-correction factors"
        xTitle="step t"
        yTitle="correction factor"
        caption="Both start large and fall to 1; v's factor takes far longer because β₂ is closer to 1. Every step is drawn up to t = 100."
        empty=""
      />
      <p className="muted">
        At t = 1 the first-step estimate m₁ = (1 − β₁) g₁ is multiplied by {(1 / (1 - beta1)).toFixed(1)} and v₁ by{' '}
        {(1 / (1 - beta2)).toFixed(1)}, so m̂₁ / √v̂₁ = g₁ / |g₁|: a first step of exactly η, and with a gradient that
        stays the same, every later step is η too.
      </p>
      <MetricChart
        series={ratio}
        label="Adam's step without bias correction"
        xTitle="step t"
        yTitle="step size (units of η)"
        caption="In units of η, for a gradient that is the same at every step (ε ignored)."
        empty=""
      />
      <p className="muted" data-testid="uncorrected-summary">
        Without correction the step is η (1 − β₁ᵗ) / √(1 − β₂ᵗ) instead: {fmt(s.first)} η at t = 1
        {rises
          ? `, rising to ${fmt(s.peak)} η at t = ${int(s.peakStep)} because m’s bias fades faster than v’s, then falling back towards η`
          : ', then moving towards η'}
        {s.settled !== null ? `; it stays within 1% of η from t = ${int(s.settled)} on.` : '.'} Switch “Adam bias
        correction” off in the race’s settings to see those steps in the curves and in the table above.
      </p>
    </div>
  );
}
