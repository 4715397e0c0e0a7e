/**
 * What the table and the plot read off a trajectory at step k: the loss there, or the
 * step at which the racer diverged. Numbers are formatted here so no NaN or Infinity
 * can reach the page.
 */
import type { Trajectory, TrajectoryPoint } from '../../../core/optim/race';
import type { Point2D, Surface2D } from '../../../core/optim/surfaces';

export type ResultAtStep =
  | { kind: 'value'; step: number; point: TrajectoryPoint; distance: number }
  /** `step` is the step that left the box: points[step - 1] was the last finite one. */
  | { kind: 'diverged'; step: number; lastPoint: TrajectoryPoint };

/** Euclidean distance to the nearest of the surface's minima. */
export function distanceToMinimum(surface: Surface2D, p: Point2D): number {
  return Math.min(...surface.minima.map((m) => Math.hypot(p.x - m.x, p.y - m.y)));
}

/** The trajectory as of step k (0 = the start). */
export function resultAtStep(surface: Surface2D, trajectory: Trajectory, k: number): ResultAtStep {
  const { points } = trajectory;
  if (k < points.length) {
    const point = points[k];
    return { kind: 'value', step: k, point, distance: distanceToMinimum(surface, point) };
  }
  if (trajectory.diverged) return { kind: 'diverged', step: points.length, lastPoint: points[points.length - 1] };
  // Not diverged means every step is there; a k past the end reads the last point.
  const point = points[points.length - 1];
  return { kind: 'value', step: points.length - 1, point, distance: distanceToMinimum(surface, point) };
}

/** The points drawn at step k: the start and the first k steps (fewer if it diverged). */
export function pointsUpTo(trajectory: Trajectory, k: number): TrajectoryPoint[] {
  return trajectory.points.slice(0, Math.max(0, k) + 1);
}

/**
 * Four significant digits; scientific notation when plain digits would hide the value
 * (losses near a minimum reach 1e-30). Non-finite input shows as a dash.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** A coordinate for labels: two decimals, and never "-0.00". */
export function formatCoord(v: number): string {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
