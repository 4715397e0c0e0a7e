import { describe, expect, it } from 'vitest';
import { runRace } from '../../../core/optim/race';
import { quadraticSurface, saddleSurface } from '../../../core/optim/surfaces';
import { distanceToMinimum, formatCoord, formatNumber, pointsUpTo, resultAtStep } from './raceResults';

const quadratic = quadraticSurface();

describe('resultAtStep', () => {
  const [sgd, wild] = runRace(
    quadratic,
    [
      { kind: 'sgd', lr: 0.03 },
      { kind: 'sgd', lr: 0.05 },
    ],
    { steps: 100 },
  );

  it('reads the loss at step k, and the start at k = 0', () => {
    expect(resultAtStep(quadratic, sgd, 0)).toEqual({
      kind: 'value',
      step: 0,
      point: { x: -4, y: 1, f: 33 },
      distance: Math.hypot(4, 1),
    });
    const r = resultAtStep(quadratic, sgd, 100);
    expect(r.kind).toBe('value');
    if (r.kind === 'value') expect(r.point).toBe(sgd.points[100]);
  });

  it('reports where a racer diverged instead of a loss', () => {
    // lr 0.05 > 2 / 50: y is multiplied by -1.5 a step and leaves |y| <= 1e6 at step 35.
    expect(wild.diverged).toBe(true);
    expect(wild.points).toHaveLength(35);
    expect(resultAtStep(quadratic, wild, 34).kind).toBe('value');
    expect(resultAtStep(quadratic, wild, 35)).toEqual({ kind: 'diverged', step: 35, lastPoint: wild.points[34] });
    expect(resultAtStep(quadratic, wild, 100).kind).toBe('diverged');
  });

  it('cuts the drawn points at step k', () => {
    expect(pointsUpTo(sgd, 0)).toEqual([sgd.points[0]]);
    expect(pointsUpTo(sgd, 10)).toHaveLength(11);
    expect(pointsUpTo(wild, 100)).toHaveLength(35);
  });
});

describe('distanceToMinimum', () => {
  it('measures to the nearest minimum', () => {
    expect(distanceToMinimum(quadratic, { x: 3, y: 4 })).toBe(5);
    expect(distanceToMinimum(saddleSurface, { x: 0, y: -1 })).toBeCloseTo(Math.SQRT2 - 1, 15);
  });
});

describe('formatting', () => {
  it('never shows NaN or Infinity', () => {
    expect(formatNumber(NaN)).toBe('–');
    expect(formatNumber(Infinity)).toBe('–');
    expect(formatNumber(-Infinity)).toBe('–');
  });

  it('keeps four significant digits, switching to scientific for tiny and huge values', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(33)).toBe('33');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(-1)).toBe('-1');
    expect(formatNumber(1.5e-7)).toBe('1.50e-7');
    expect(formatNumber(2.5e6)).toBe('2.50e6');
  });

  it('writes coordinates with two decimals and no negative zero', () => {
    expect(formatCoord(-4)).toBe('-4.00');
    expect(formatCoord(-0.001)).toBe('0.00');
    expect(formatCoord(1e-4)).toBe('0.00');
  });
});
