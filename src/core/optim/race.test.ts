import { describe, expect, it } from 'vitest';
import { defaultRace, runRace, type RacerConfig } from './race';
import { quadraticSurface, rosenbrockSurface, saddleSurface, SURFACE_IDS, surfaceById } from './surfaces';
import { relErr } from '../testing';

const quadratic = quadraticSurface(); // a = 1, b = 50

const smallLrRacers: RacerConfig[] = [
  { kind: 'sgd', lr: 0.01 },
  { kind: 'momentum', lr: 0.005, momentum: 0.9 },
  { kind: 'adam', lr: 0.01 },
  { kind: 'adamw', lr: 0.01, weightDecay: 0.01 },
  { kind: 'adafactor', lr: 0.01 },
  { kind: 'adafactor', lr: 0, relativeStep: true },
];

describe('runRace', () => {
  it('on the quadratic with small lr, every optimiser lowers f overall', () => {
    const race = runRace(quadratic, smallLrRacers, { steps: 300 });
    expect(race).toHaveLength(smallLrRacers.length);
    for (const tr of race) {
      expect(tr.diverged, tr.label).toBe(false);
      expect(tr.points).toHaveLength(301);
      expect(tr.points[0]).toEqual({ x: -4, y: 1, f: 33 });
      const f0 = tr.points[0].f;
      const fEnd = tr.points[300].f;
      // "Overall": momentum and Adam may overshoot on the steep axis, but the end is far below the start
      // and the second half sits below the first half's mean.
      expect(fEnd, tr.label).toBeLessThan(0.5 * f0);
      const mean = (a: number, b: number) => tr.points.slice(a, b).reduce((s, p) => s + p.f, 0) / (b - a);
      expect(mean(151, 301), tr.label).toBeLessThan(mean(0, 151));
    }
  });

  it('SGD on the quadratic follows the closed form x_t = (1 - lr a)^t x_0, y_t = (1 - lr b)^t y_0', () => {
    const lr = 0.03;
    const [tr] = runRace(quadratic, [{ kind: 'sgd', lr }], { steps: 100 });
    tr.points.forEach((p, t) => {
      // Repeated multiplication vs one power: agreement to a few ulps per step.
      expect(relErr(p.x, (1 - lr * 1) ** t * -4), `x_${t}`).toBeLessThan(1e-13);
      expect(relErr(p.y, (1 - lr * 50) ** t * 1), `y_${t}`).toBeLessThan(1e-13);
    });
  });

  it('flags a racer that leaves the box as diverged and stops it there', () => {
    // lr = 0.05 > 2 / b = 0.04: the y-coordinate is multiplied by (1 - 2.5) = -1.5 every step.
    const [sgd, adam] = runRace(
      quadratic,
      [
        { kind: 'sgd', lr: 0.05 },
        { kind: 'adam', lr: 0.05 },
      ],
      { steps: 200, bound: 1e3 },
    );
    expect(sgd.diverged).toBe(true);
    const last = sgd.points[sgd.points.length - 1];
    expect(Math.abs(last.y)).toBeLessThanOrEqual(1e3);
    expect(Math.abs(last.y) * 1.5).toBeGreaterThan(1e3); // the very next step left the box
    expect(sgd.points.length).toBe(1 + Math.floor(Math.log(1e3) / Math.log(1.5)));
    // Adam's steps are ~lr whatever the curvature: the same lr is harmless.
    expect(adam.diverged).toBe(false);
    expect(adam.points).toHaveLength(201);
  });

  it('flags non-finite values as diverged (huge lr overflows before the default box)', () => {
    const [tr] = runRace(rosenbrockSurface, [{ kind: 'sgd', lr: 10 }], { steps: 50, bound: Infinity });
    expect(tr.diverged).toBe(true);
    expect(tr.points.every((p) => Number.isFinite(p.f))).toBe(true);
    expect(tr.points.length).toBeLessThan(51);
  });

  it('every default race runs without diverging and ends below its start', () => {
    for (const id of SURFACE_IDS) {
      const surface = surfaceById(id);
      const { steps, racers } = defaultRace(id);
      for (const tr of runRace(surface, racers, { steps })) {
        expect(tr.diverged, `${id} ${tr.label}`).toBe(false);
        expect(tr.points[steps].f, `${id} ${tr.label}`).toBeLessThan(tr.points[0].f);
      }
    }
  });

  it('on the saddle, Adam leaves the ridge sooner than SGD (sign-like steps ignore the tiny gradient)', () => {
    const [sgd, adam] = runRace(
      saddleSurface,
      [
        { kind: 'sgd', lr: 0.05 },
        { kind: 'adam', lr: 0.05 },
      ],
      { steps: 200 },
    );
    const escaped = (pts: { f: number }[]) => pts.findIndex((p) => p.f < -0.9);
    expect(escaped(adam.points)).toBeGreaterThan(0);
    expect(escaped(sgd.points)).toBeGreaterThan(2 * escaped(adam.points));
  });

  it('uses a given start, and rejects bad settings with RangeError', () => {
    const [tr] = runRace(quadratic, [{ kind: 'sgd', lr: 0.01 }], { steps: 1, start: { x: 1, y: 1 } });
    expect(tr.points[0]).toEqual({ x: 1, y: 1, f: 25.5 });
    expect(() => runRace(quadratic, [{ kind: 'sgd', lr: 0.1 }], { steps: -1 })).toThrow(/steps/);
    expect(() => runRace(quadratic, [{ kind: 'sgd', lr: 0.1 }], { steps: 1.5 })).toThrow(RangeError);
    expect(() => runRace(quadratic, [{ kind: 'adam', lr: 0.1, beta2: 1 }], { steps: 1 })).toThrow(/beta2/);
    expect(() => runRace(quadratic, [{ kind: 'momentum', lr: 0.1, momentum: 1.2 }], { steps: 1 })).toThrow(/momentum/);
    expect(() => runRace(quadratic, [{ kind: 'adafactor', lr: -1 }], { steps: 1 })).toThrow(/lr/);
    expect(() => runRace(quadratic, [{ kind: 'lbfgs', lr: 1 } as never], { steps: 1 })).toThrow(/unknown optimiser/);
  });
});
