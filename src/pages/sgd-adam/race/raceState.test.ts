import { describe, expect, it } from 'vitest';
import { defaultRace } from '../../../core/optim/race';
import { quadraticSurface, rosenbrockSurface, saddleSurface } from '../../../core/optim/surfaces';
import {
  effectiveStep,
  initialRaceState,
  raceReducer,
  randomStartFor,
  type RaceAction,
  type RaceUiState,
} from './raceState';

const run = (actions: RaceAction[], state: RaceUiState = initialRaceState()) => actions.reduce(raceReducer, state);

describe('raceReducer', () => {
  it('starts on the quadratic with the default race and start', () => {
    const s = initialRaceState();
    expect(s.surface).toBe('quadratic');
    expect(s.bySurface.quadratic.applied).toEqual(defaultRace('quadratic'));
    expect(s.bySurface.quadratic.start).toEqual({ x: -4, y: 1 });
    expect(s.bySurface.rosenbrock.start).toEqual(rosenbrockSurface.start);
  });

  it('applies a valid edit at once', () => {
    const s = run([{ type: 'field', racer: 'sgd', field: 'lr', raw: '0.05' }]);
    expect(s.bySurface.quadratic.applied.racers[0]).toEqual({ kind: 'sgd', lr: 0.05 });
    expect(s.bySurface.quadratic.drafts.racers.sgd.lr).toBe('0.05');
  });

  it('keeps the last valid settings while a field is invalid, and applies when it is fixed', () => {
    const before = initialRaceState().bySurface.quadratic.applied;
    const bad = run([{ type: 'field', racer: 'adam', field: 'lr', raw: '0.2x' }]);
    expect(bad.bySurface.quadratic.applied).toEqual(before);
    expect(bad.bySurface.quadratic.drafts.racers.adam.lr).toBe('0.2x');
    const fixed = run([{ type: 'field', racer: 'adam', field: 'lr', raw: '0.2' }], bad);
    expect(fixed.bySurface.quadratic.applied.racers[2]).toEqual({ kind: 'adam', lr: 0.2, beta1: 0.9, beta2: 0.999 });
  });

  it('remembers each surface’s settings and start when switching away and back', () => {
    const s = run([
      { type: 'steps', raw: '50' },
      { type: 'nudgeStart', key: 'ArrowRight', coarse: false },
      { type: 'surface', surface: 'saddle' },
    ]);
    expect(s.surface).toBe('saddle');
    expect(s.bySurface.saddle.start).toEqual(saddleSurface.start);
    const back = raceReducer(s, { type: 'surface', surface: 'quadratic' });
    expect(back.bySurface.quadratic.applied.steps).toBe(50);
    expect(back.bySurface.quadratic.start).toEqual({ x: -3.8, y: 1 });
  });

  it('moves the start by keys and drags, inside the window, and resets it', () => {
    const s = run([
      { type: 'moveStart', to: { x: 99, y: -0.5 } },
      { type: 'nudgeStart', key: 'ArrowDown', coarse: true },
    ]);
    expect(s.bySurface.quadratic.start).toEqual({ x: 5, y: -0.8 });
    expect(raceReducer(s, { type: 'resetStart' }).bySurface.quadratic.start).toEqual(quadraticSurface().start);
  });

  it('draws random starts that replay from the seed', () => {
    const a = run([
      { type: 'randomStart', seed: 7 },
      { type: 'randomStart', seed: 7 },
    ]);
    expect(a.randomStarts).toBe(2);
    expect(a.bySurface.quadratic.start).toEqual(randomStartFor('quadratic', 7, 1));
    expect(randomStartFor('quadratic', 7, 1)).not.toEqual(randomStartFor('quadratic', 7, 0));
    // Inside the window's inner 80%.
    for (let draw = 0; draw < 50; draw++) {
      const p = randomStartFor('rosenbrock', 3, draw);
      expect(p.x).toBeGreaterThanOrEqual(-1.6);
      expect(p.x).toBeLessThanOrEqual(1.6);
      expect(p.y).toBeGreaterThanOrEqual(-0.6);
      expect(p.y).toBeLessThanOrEqual(2.6);
    }
  });

  it('restores the default settings of the current surface only', () => {
    const s = run([{ type: 'field', racer: 'sgd', field: 'lr', raw: 'oops' }, { type: 'resetSettings' }]);
    expect(s.bySurface.quadratic.drafts.racers.sgd.lr).toBe('0.035');
  });

  it('hides and shows racers', () => {
    const s = run([
      { type: 'toggleRacer', racer: 'adam' },
      { type: 'toggleRacer', racer: 'sgd' },
      { type: 'toggleRacer', racer: 'adam' },
    ]);
    expect(s.hidden).toEqual(['sgd']);
  });

  it('shows the chosen step, never past the last, and follows the end when unset', () => {
    expect(effectiveStep(initialRaceState())).toBe(200);
    expect(effectiveStep(run([{ type: 'showStep', step: 20 }]))).toBe(20);
    expect(
      effectiveStep(
        run([
          { type: 'showStep', step: 150 },
          { type: 'steps', raw: '100' },
        ]),
      ),
    ).toBe(100);
  });
});
