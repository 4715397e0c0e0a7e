// The dynamic loss scaler as the live run reports it: per step, ArmMetrics
// lossScale (the scale used) and skipped (1 when the step overflowed).
import type { StepPoint } from '../../train/contract';

export interface ScaleTrace {
  /** log2 of the scale where it changed, plus the first and last step: a step plot needs no more. */
  line: { step: number; log2: number }[];
  /** Steps skipped for overflow, with the log2 scale they used. */
  skips: { step: number; log2: number }[];
}

/** null when the arm reports no lossScale (an arm without loss scaling, or no steps yet). */
export function scaleTrace(points: readonly StepPoint[], arm: number): ScaleTrace | null {
  const line: ScaleTrace['line'] = [];
  const skips: ScaleTrace['skips'] = [];
  let last: { step: number; log2: number } | null = null;
  for (const p of points) {
    const m = p.arms?.[arm];
    const scale = m?.lossScale;
    if (scale === undefined || !(scale > 0) || !Number.isFinite(scale)) continue;
    const here = { step: p.step, log2: Math.log2(scale) };
    if (!last || here.log2 !== last.log2) {
      // Hold the old value up to the step before the change, so the plot is a staircase.
      if (last && line.at(-1)?.step !== last.step) line.push(last);
      line.push(here);
    }
    last = here;
    if (m?.skipped === 1) skips.push(here);
  }
  if (!last) return null;
  if (line.at(-1)?.step !== last.step) line.push(last);
  return { line, skips };
}
