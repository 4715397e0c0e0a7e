/**
 * One recompute of the race as the widget does it when a setting or the start changes:
 * run every racer, then turn each trajectory into its SVG path. Kept outside the
 * component so a unit test can time exactly this.
 */
import { runRace, type Trajectory } from '../../../core/optim/race';
import type { Point2D, Surface2D } from '../../../core/optim/surfaces';
import { polylinePath, type PlotFrame } from './plotGeometry';
import type { RaceSettings } from './raceForm';
import { pointsUpTo } from './raceResults';

export function computeRace(surface: Surface2D, settings: RaceSettings, start: Point2D): Trajectory[] {
  return runRace(surface, settings.racers, { steps: settings.steps, start });
}

/** The path of each trajectory up to step k, in racer order. */
export function trajectoryPaths(trajectories: readonly Trajectory[], frame: PlotFrame, k: number): string[] {
  return trajectories.map((t) => polylinePath(pointsUpTo(t, k), frame));
}
