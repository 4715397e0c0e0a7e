import { describe, expect, it } from 'vitest';
import { defaultRace } from '../../../core/optim/race';
import { SURFACE_IDS, surfaceById } from '../../../core/optim/surfaces';
import { evaluateGrid, layerPaths } from './lossGrid';
import { makeFrame } from './plotGeometry';
import { computeRace, trajectoryPaths } from './recompute';

/** Median wall time of `fn` in ms over `runs` runs, after a few warm-up runs for the JIT. */
function medianMs(fn: () => unknown, runs = 25): number {
  for (let i = 0; i < 5; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

describe('recompute cost (reported, not asserted: timings depend on the machine)', () => {
  it('runs the default race on every surface and draws its paths', () => {
    const report: Record<string, string> = {};
    for (const id of SURFACE_IDS) {
      const surface = surfaceById(id);
      const settings = defaultRace(id);
      const frame = makeFrame(surface.view);
      const trajectories = computeRace(surface, settings, surface.start);
      // The work is real: five racers, every step present, every path drawn.
      expect(trajectories).toHaveLength(5);
      const paths = trajectoryPaths(trajectories, frame, settings.steps);
      expect(paths.every((d) => d.startsWith('M'))).toBe(true);
      const raceMs = medianMs(() =>
        trajectoryPaths(computeRace(surface, settings, surface.start), frame, settings.steps),
      );
      const gridMs = medianMs(() => layerPaths(evaluateGrid(surface), frame));
      report[id] =
        `race + paths ${raceMs.toFixed(2)} ms (${settings.steps} steps x 5), grid + bands ${gridMs.toFixed(2)} ms`;
    }
    console.log('optimiser race recompute, median of 25:', report);
  });
});
