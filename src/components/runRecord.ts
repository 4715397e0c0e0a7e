// One run as the trainer card keeps it: the run on screen now, or a finished
// run pinned beside it (run history). Downloads (CSV, config) and the pinned
// overlays read this one shape.
import type { EvalPoint, RunSpec, StepPoint } from '../train/contract';

export interface RunRecord {
  /** 'current' for the run on screen; a pinned run's own id otherwise. */
  id: string;
  /** The run's name in legends and in the CSV's `run` column ("current", "lr 0.01 → 0.003"). */
  label: string;
  /** Arm names in arm order (one entry for a single-model run). */
  armLabels: readonly string[];
  /** Every training point measured (per-arm metrics under `arms`). */
  points: readonly StepPoint[];
  /** Every held-out evaluation, step 0 included. */
  evals: readonly EvalPoint[];
  /** The run spec that produced it (null while a page has not built one). */
  spec: RunSpec | null;
  /** The page's link (hash route with its query) that replays the run. */
  link: string;
}
