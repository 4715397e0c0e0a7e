// Chart series from a BERT run's per-arm numbers.
import type { Series, SeriesPoint } from './MetricChart';
import type { EvalPoint, StepPoint } from '../train/protocol';

export const ARM_COLORS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'];

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

export function series(key: string, label: string, color: string, points: SeriesPoint[], opts: Partial<Series> = {}): Series {
  return { key, label, color, points, ...opts };
}
