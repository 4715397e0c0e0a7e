// Chart series from a run's per-arm numbers, and how each arm is drawn.
import { isClaimArm, type Claim } from '../core/claims';
import type { Series, SeriesPoint } from './chartModel';
import type { EvalPoint, StepPoint } from '../train/contract';

export const ARM_COLORS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'];

/**
 * How arms are told apart on every chart that compares them: arm a has its
 * own colour AND its own dash pattern, so the lines still separate for a
 * colour-blind reader or on a grey projector; the legend swatch repeats both.
 * A measurement kind never changes an arm's look: an arm's held-out curve has
 * the same colour and dash as its training curve, plus a dot at every
 * evaluation (`dots`), and is the sparse, smooth one of the two. Dashing
 * held-out curves instead (as before) spent the one extra cue on the kind
 * of curve, leaving five arms to colour alone.
 *
 * Patterns (in px, at line width 2): solid, long dash, dots, dash-dot,
 * long dash-dot-dot. Each is recognisable over a short stretch and none is
 * REFERENCE_DASH (thresholds, ceilings), so a reference line is never
 * taken for an arm. Beyond five arms the styles repeat.
 */
export const ARM_DASHES = ['', '9 4', '2 3', '9 3 2 3', '14 3 2 3 2 3'];
const ARM_PALETTE = [...ARM_COLORS, 'var(--series-5)'];

export function armStyle(arm: number): { color: string; dash: string } {
  const i = ((arm % ARM_PALETTE.length) + ARM_PALETTE.length) % ARM_PALETTE.length;
  return { color: ARM_PALETTE[i], dash: ARM_DASHES[i] };
}

/** Per-step values of one arm's metric (steps where it is missing are skipped). */
export function stepSeries(points: readonly StepPoint[], arm: number, metric: string): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const p of points) {
    const value = p.arms?.[arm]?.[metric];
    if (value !== undefined) out.push({ step: p.step, value });
  }
  return out;
}

/** Held-out values of one arm's metric, step 0 (the untrained model) included. */
export function evalSeries(evals: readonly EvalPoint[], arm: number, metric: string): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const e of evals) {
    const value = e.arms?.[arm]?.[metric];
    if (value !== undefined) out.push({ step: e.step, value });
  }
  return out;
}

export function series(
  key: string,
  label: string,
  color: string,
  points: SeriesPoint[],
  opts: Partial<Series> = {},
): Series {
  return { key, label, color, points, ...opts };
}

/** A series of arm `arm`, in that arm's colour and dash (armStyle). */
export function armSeries(
  key: string,
  label: string,
  arm: number,
  points: SeriesPoint[],
  opts: Partial<Series> = {},
): Series {
  return { key, label, points, ...armStyle(arm), ...opts };
}

/**
 * Per arm, its training curve of `metric` and then its held-out one (dots),
 * named by `names`; the claim's two arms drawn bold. A pinned run's copy
 * passes no claim (a pinned run is never one the claim is about).
 */
export function armPairCurves(
  points: readonly StepPoint[],
  evals: readonly EvalPoint[],
  labels: readonly string[],
  metric: string,
  names: { train: (label: string) => string; held: (label: string) => string },
  claim: Claim | null = null,
): Series[] {
  return labels.flatMap((l, a) => [
    armSeries(`train${a}`, names.train(l), a, stepSeries(points, a, metric), {
      short: l,
      emphasis: isClaimArm(claim, a),
    }),
    armSeries(`held${a}`, names.held(l), a, evalSeries(evals, a, metric), {
      dots: true,
      short: `${l} held out`,
      emphasis: isClaimArm(claim, a),
    }),
  ]);
}
