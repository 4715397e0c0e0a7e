/**
 * A comparison demo's teaching claim: "by step N, arm A beats arm B on this
 * metric". Each race page declares one beside its run builder; the page shows
 * it as its "what to look for" line and marks the step where the run has shown
 * it, and `npm run claims` measures it over several seeds.
 *
 * Pure: it reads the numbers a run reports (per-arm metrics per step and per
 * held-out evaluation), in the shape of the worker's StepPoint and EvalPoint.
 */

/** Per-arm numbers at one step: metric name -> value. */
export type ArmNumbers = Record<string, number>;

/** The run's numbers so far, as the page and the measuring command hold them. */
export interface ClaimData {
  /** Held-out evaluations, step 0 (the untrained models) first. */
  evals: readonly { step: number; arms?: readonly ArmNumbers[] }[];
  /** Training steps. */
  points: readonly { step: number; arms?: readonly ArmNumbers[] }[];
}

/**
 * Where the claim's number comes from:
 *   eval        the held-out metric at the evaluation of that step;
 *   train-mean  the mean training metric over steps (step - window, step];
 *   train-max   the largest training metric over steps (step - window, step]
 *               (a spike: the arm with the smaller peak wins under 'lower').
 */
export type ClaimSource = { kind: 'eval' } | { kind: 'train-mean' | 'train-max'; window: number };

export interface Claim {
  /** Short name, the key `npm run claims` prints (e.g. 'init'). */
  id: string;
  /** The page's one "what to look for" sentence. */
  lookFor: string;
  /** An ArmNumbers key, e.g. 'total' (loss) or 'ownAcc'. */
  metric: string;
  /** How the page names the metric beside the numbers, e.g. 'held-out loss'. */
  metricLabel: string;
  better: 'lower' | 'higher';
  source: ClaimSource;
  /** Arm indices in the run's arms: the one that should come out ahead, and the one behind. */
  winner: number;
  loser: number;
  /** The step by which it shows; for 'eval' a multiple of the run's evalEvery. */
  step: number;
  /** The margin (metric units) at which the page marks the claim as shown. */
  showMargin: number;
  /** Digits the page prints the metric with. */
  digits: number;
}

/** The common claim: arm `winner`'s held-out loss below arm `loser`'s at an evaluation step. */
export function heldOutLossClaim(c: Pick<Claim, 'id' | 'lookFor' | 'winner' | 'loser' | 'step' | 'showMargin'>): Claim {
  return { metric: 'total', metricLabel: 'held-out loss', better: 'lower', source: { kind: 'eval' }, digits: 2, ...c };
}

/** Whether `arm` is one of the two a claim is about (the arms a chart draws bold). */
export function isClaimArm(claim: Claim | null, arm: number): boolean {
  return claim !== null && (arm === claim.winner || arm === claim.loser);
}

/** One arm's metric at `step`, or null when the run has not reported that step yet. */
function armValue(claim: Claim, data: ClaimData, arm: number, step: number): number | null {
  const { source } = claim;
  if (source.kind === 'eval') {
    const e = data.evals.find((x) => x.step === step);
    const v = e?.arms?.[arm]?.[claim.metric];
    return v === undefined ? null : v;
  }
  if (!data.points.some((p) => p.step === step)) return null;
  const values = data.points
    .filter((p) => p.step > step - source.window && p.step <= step)
    .map((p) => p.arms?.[arm]?.[claim.metric])
    .filter((v): v is number => v !== undefined);
  if (values.length === 0) return null;
  if (values.some((v) => !Number.isFinite(v))) return Number.NaN;
  return source.kind === 'train-max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * A diverged arm (NaN or Infinity) counts as its untrained self: its step-0
 * held-out value. So an arm that blows up loses by how much the other learned,
 * a finite margin that can be averaged over seeds.
 */
function finiteOr(claim: Claim, data: ClaimData, arm: number, value: number): number {
  if (Number.isFinite(value)) return value;
  const start = data.evals.find((e) => e.step === 0)?.arms?.[arm]?.[claim.metric];
  return start !== undefined && Number.isFinite(start) ? start : Number.NaN;
}

export interface ClaimReading {
  step: number;
  winner: number;
  loser: number;
  /** Positive when the claim holds at this step: loser - winner for 'lower', winner - loser for 'higher'. */
  margin: number;
}

/** The claim's two numbers and margin at `step` (default: its own step), or null before that step is reported. */
export function readClaim(claim: Claim, data: ClaimData, step: number = claim.step): ClaimReading | null {
  const w = armValue(claim, data, claim.winner, step);
  const l = armValue(claim, data, claim.loser, step);
  if (w === null || l === null) return null;
  // A winner that diverged has not won, whatever the loser did.
  if (!Number.isFinite(w)) return { step, winner: w, loser: l, margin: Number.NEGATIVE_INFINITY };
  const loser = finiteOr(claim, data, claim.loser, l);
  const margin = claim.better === 'lower' ? loser - w : w - loser;
  return { step, winner: w, loser: l, margin: Number.isNaN(margin) ? Number.NEGATIVE_INFINITY : margin };
}

/** The steps at which the claim can be read: its evaluations, or every training step. */
function readableSteps(claim: Claim, data: ClaimData): number[] {
  const steps = claim.source.kind === 'eval' ? data.evals.map((e) => e.step) : data.points.map((p) => p.step);
  return steps.filter((s) => s > 0);
}

/**
 * The first reading at which the margin reaches showMargin: the moment the
 * page marks as "shown". Null while it has not (yet).
 */
export function claimShownAt(claim: Claim, data: ClaimData): ClaimReading | null {
  for (const step of readableSteps(claim, data)) {
    const r = readClaim(claim, data, step);
    if (r && r.margin >= claim.showMargin) return r;
  }
  return null;
}

export interface ClaimVerdict {
  /** Mean of the per-seed margins at the claimed step. */
  mean: number;
  /** The smallest per-seed margin. */
  worst: number;
  /** Largest minus smallest per-seed margin. */
  spread: number;
  /** Slowest seed's wall-clock seconds to the claimed step. */
  seconds: number;
  holds: boolean;
  /** Why it fails, in words; empty when it holds. */
  why: string[];
}

/**
 * The rule `npm run claims` applies: a claim holds when its margin is
 * positive in every seed, its mean margin is larger than the spread between
 * seeds, and every seed reached the claimed step within `limitSeconds`.
 */
export function judgeClaim(margins: readonly number[], seconds: readonly number[], limitSeconds: number): ClaimVerdict {
  if (margins.length === 0) throw new RangeError('judgeClaim: no seeds');
  const finite = margins.every(Number.isFinite);
  const mean = finite ? margins.reduce((a, b) => a + b, 0) / margins.length : Number.NEGATIVE_INFINITY;
  const worst = Math.min(...margins);
  const spread = finite ? Math.max(...margins) - worst : Number.POSITIVE_INFINITY;
  const slowest = Math.max(...seconds);
  const why: string[] = [];
  if (!(worst > 0)) why.push('margin not positive in every seed');
  if (!(mean > spread)) why.push('mean margin not larger than the spread between seeds');
  if (!(slowest <= limitSeconds)) why.push(`step reached after ${slowest.toFixed(1)} s, over ${limitSeconds} s`);
  return { mean, worst, spread, seconds: slowest, holds: why.length === 0, why };
}
