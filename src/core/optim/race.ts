/**
 * An optimiser race: several optimisers start from the same point of a 2-D
 * surface and each takes N steps on the exact gradient, giving one trajectory
 * [(x, y, f)] per optimiser. The two coordinates are one parameter vector [2]
 * (AdaFactor therefore keeps the full, unfactored v: there is no matrix to factor).
 */

import { adamInit, adamStep, type AdamConfig } from '../adam';
import {
  ADAFACTOR_DEFAULTS,
  adafactorInit,
  adafactorStep,
  checkAdafactorConfig,
  type AdafactorConfig,
} from './adafactor';
import { checkSgdConfig, SGD_DEFAULTS, sgdInit, sgdStep } from './sgd';
import type { Point2D, Surface2D, SurfaceId } from './surfaces';

export type RacerConfig =
  | { kind: 'sgd'; lr: number }
  | { kind: 'momentum'; lr: number; /** default 0.9 */ momentum?: number; nesterov?: boolean }
  | { kind: 'adam'; lr: number; beta1?: number; beta2?: number; eps?: number }
  | {
      kind: 'adamw';
      lr: number;
      beta1?: number;
      beta2?: number;
      eps?: number;
      /** default 0.01 */ weightDecay?: number;
    }
  | ({ kind: 'adafactor'; lr: number } & Partial<Omit<AdafactorConfig, 'lr'>>);

export type RacerKind = RacerConfig['kind'];

export const RACER_LABELS: Record<RacerKind, string> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  adam: 'Adam',
  adamw: 'AdamW',
  adafactor: 'AdaFactor',
};

export interface TrajectoryPoint {
  x: number;
  y: number;
  f: number;
}

export interface Trajectory {
  racer: RacerConfig;
  label: string;
  /** points[0] is the start; then one point per step taken, all finite and inside the box. */
  points: TrajectoryPoint[];
  /** True when a step left the box or went non-finite; that point is not in `points`. */
  diverged: boolean;
}

export interface RaceOptions {
  steps: number;
  /** Defaults to the surface's start. */
  start?: Point2D;
  /** A step with |x| or |y| above this counts as diverged (default 1e6). */
  bound?: number;
}

/** Moves a [2] parameter vector one step along the given gradient [2]. */
type Stepper = (params: Float64Array, grads: Float64Array) => void;

function checkAdamLike(r: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }): void {
  if (!(r.lr >= 0 && Number.isFinite(r.lr))) throw new RangeError(`race: lr must be a finite number >= 0, got ${r.lr}`);
  if (!(r.beta1 >= 0 && r.beta1 < 1)) throw new RangeError(`race: beta1 must be in [0, 1), got ${r.beta1}`);
  if (!(r.beta2 >= 0 && r.beta2 < 1)) throw new RangeError(`race: beta2 must be in [0, 1), got ${r.beta2}`);
  if (!(r.eps >= 0)) throw new RangeError(`race: eps must be >= 0, got ${r.eps}`);
  if (!(r.weightDecay >= 0)) throw new RangeError(`race: weightDecay must be >= 0, got ${r.weightDecay}`);
}

/** Builds a fresh optimiser (with its own state) for one racer; throws RangeError on bad settings. */
function makeStepper(racer: RacerConfig): Stepper {
  switch (racer.kind) {
    case 'sgd':
    case 'momentum': {
      const cfg = {
        ...SGD_DEFAULTS,
        lr: racer.lr,
        momentum: racer.kind === 'momentum' ? (racer.momentum ?? 0.9) : 0,
        nesterov: racer.kind === 'momentum' ? (racer.nesterov ?? false) : false,
      };
      checkSgdConfig(cfg);
      const state = sgdInit();
      return (p, g) => sgdStep(p, g, state, cfg);
    }
    case 'adam':
    case 'adamw': {
      const cfg: AdamConfig = {
        lr: racer.lr,
        beta1: racer.beta1 ?? 0.9,
        beta2: racer.beta2 ?? 0.999,
        eps: racer.eps ?? 1e-8,
        weightDecay: racer.kind === 'adamw' ? (racer.weightDecay ?? 0.01) : 0,
        decoupledWeightDecay: racer.kind === 'adamw',
        biasCorrection: true,
      };
      checkAdamLike(cfg);
      const state = adamInit(2);
      return (p, g) => adamStep(p, g, state, cfg);
    }
    case 'adafactor': {
      // In the race the lr is used as given (relativeStep off) unless asked otherwise, so that
      // its lr means the same as Adam's: both take roughly lr-sized steps per coordinate.
      const { kind: _kind, ...overrides } = racer;
      const cfg: AdafactorConfig = { ...ADAFACTOR_DEFAULTS, relativeStep: false, ...overrides };
      checkAdafactorConfig(cfg);
      const state = adafactorInit([2]);
      return (p, g) => {
        adafactorStep(p, g, state, cfg);
      };
    }
    default:
      throw new RangeError(`race: unknown optimiser ${JSON.stringify((racer as { kind: unknown }).kind)}`);
  }
}

/** Runs every racer from the same start for `steps` steps (fewer if it diverges). */
export function runRace(surface: Surface2D, racers: readonly RacerConfig[], options: RaceOptions): Trajectory[] {
  const { steps, start = surface.start, bound = 1e6 } = options;
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`runRace: steps must be a whole number >= 0, got ${steps}`);
  if (!(bound > 0)) throw new RangeError(`runRace: bound must be > 0, got ${bound}`);
  if (!Number.isFinite(start.x) || !Number.isFinite(start.y)) throw new RangeError('runRace: start must be finite');
  const steppers = racers.map(makeStepper); // all settings checked before any racer runs
  return racers.map((racer, r) => {
    const step = steppers[r];
    const params = new Float64Array([start.x, start.y]); // [x, y]
    const points: TrajectoryPoint[] = [{ x: start.x, y: start.y, f: surface.value(start.x, start.y) }];
    let diverged = false;
    for (let t = 0; t < steps; t++) {
      step(params, Float64Array.from(surface.gradient(params[0], params[1])));
      const [x, y] = params;
      const f = surface.value(x, y);
      if (!Number.isFinite(f) || !(Math.abs(x) <= bound && Math.abs(y) <= bound)) {
        diverged = true;
        break;
      }
      points.push({ x, y, f });
    }
    return { racer, label: RACER_LABELS[racer.kind], points, diverged };
  });
}

/**
 * A readable race on each surface: one racer of each kind and a step count.
 * Plain SGD's lr sits near its stability limit 2 / (largest curvature); momentum uses
 * the same lr (its steps grow up to 10x at 0.9, which is the point); the adaptive
 * methods take roughly lr-sized steps per coordinate, whatever the curvature.
 */
export function defaultRace(surface: SurfaceId): { steps: number; racers: RacerConfig[] } {
  const settings: Record<SurfaceId, { steps: number; sgd: number; adaptive: number }> = {
    quadratic: { steps: 200, sgd: 0.035, adaptive: 0.1 },
    // Rosenbrock's valley floor is nearly flat: everyone needs many steps, momentum shines.
    rosenbrock: { steps: 1000, sgd: 1.5e-3, adaptive: 0.05 },
    saddle: { steps: 200, sgd: 0.05, adaptive: 0.05 },
  };
  const { steps, sgd, adaptive } = settings[surface];
  return {
    steps,
    racers: [
      { kind: 'sgd', lr: sgd },
      { kind: 'momentum', lr: sgd, momentum: 0.9 },
      { kind: 'adam', lr: adaptive },
      { kind: 'adamw', lr: adaptive, weightDecay: 0.01 },
      { kind: 'adafactor', lr: adaptive },
    ],
  };
}
