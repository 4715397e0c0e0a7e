/**
 * Two-dimensional loss surfaces for an optimiser race: each a value, its exact
 * gradient, a start, a window to draw, and its minima. Small enough to see why
 * optimisers differ:
 *   quadratic   0.5 (a x^2 + b y^2)          ill-conditioned: curvature b / a = 50 by default
 *   rosenbrock  (1 - x)^2 + 100 (y - x^2)^2  a curved, flat-bottomed valley
 *   saddle      x^2 - y^2 + y^4 / 4          a saddle at the origin; plain x^2 - y^2 has no
 *               minimum (a race would run off the plot), so the quartic bends the y-axis back
 *               up and makes two minima at (0, +-sqrt 2) with f = -1.
 */

export type SurfaceId = 'quadratic' | 'rosenbrock' | 'saddle';

export interface Point2D {
  x: number;
  y: number;
}

export interface ViewWindow {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface Surface2D {
  id: SurfaceId;
  label: string;
  /** The formula, in TeX, for the page to show. */
  tex: string;
  value(x: number, y: number): number;
  /** Exact gradient [df/dx, df/dy]. */
  gradient(x: number, y: number): [number, number];
  start: Point2D;
  view: ViewWindow;
  /** Global minima with their values (the saddle surface has two). */
  minima: (Point2D & { value: number })[];
  /** Stationary points that are not minima (the saddle's origin), for marking on the plot. */
  saddlePoints: Point2D[];
}

/** f = 0.5 (a x^2 + b y^2): condition number b / a (when b >= a); SGD is stable for lr < 2 / max(a, b). */
export function quadraticSurface(a = 1, b = 50): Surface2D {
  if (!(a > 0 && Number.isFinite(a)) || !(b > 0 && Number.isFinite(b))) {
    throw new RangeError(`quadraticSurface: curvatures a and b must be finite and > 0, got a = ${a}, b = ${b}`);
  }
  return {
    id: 'quadratic',
    label: `Ill-conditioned quadratic (condition number ${Number((Math.max(a, b) / Math.min(a, b)).toPrecision(3))})`,
    tex: `f(x, y) = \\tfrac12 (${a === 1 ? '' : a} x^2 + ${b === 1 ? '' : b} y^2)`,
    value: (x, y) => 0.5 * (a * x * x + b * y * y),
    gradient: (x, y) => [a * x, b * y],
    // Off both axes, so the steep (y) and shallow (x) directions both have work to do.
    start: { x: -4, y: 1 },
    view: { xMin: -5, xMax: 5, yMin: -1.5, yMax: 1.5 },
    minima: [{ x: 0, y: 0, value: 0 }],
    saddlePoints: [],
  };
}

export const rosenbrockSurface: Surface2D = {
  id: 'rosenbrock',
  label: 'Rosenbrock valley',
  tex: 'f(x, y) = (1 - x)^2 + 100 (y - x^2)^2',
  value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  // The customary start: on the far side of the banana from the minimum.
  start: { x: -1.2, y: 1 },
  view: { xMin: -2, xMax: 2, yMin: -1, yMax: 3 },
  minima: [{ x: 1, y: 1, value: 0 }],
  saddlePoints: [],
};

export const saddleSurface: Surface2D = {
  id: 'saddle',
  label: 'Saddle (bounded below by a quartic)',
  tex: 'f(x, y) = x^2 - y^2 + \\tfrac14 y^4',
  value: (x, y) => x * x - y * y + 0.25 * y ** 4,
  gradient: (x, y) => [2 * x, -2 * y + y ** 3],
  // Almost on the ridge (y = 0): the gradient barely pushes off it, so escaping takes
  // plain gradient descent many steps while sign-like methods (Adam) leave at once.
  start: { x: -2, y: 1e-4 },
  view: { xMin: -2.5, xMax: 2.5, yMin: -2.5, yMax: 2.5 },
  minima: [
    { x: 0, y: Math.SQRT2, value: -1 },
    { x: 0, y: -Math.SQRT2, value: -1 },
  ],
  saddlePoints: [{ x: 0, y: 0 }],
};

export function surfaceById(id: SurfaceId): Surface2D {
  switch (id) {
    case 'quadratic':
      return quadraticSurface();
    case 'rosenbrock':
      return rosenbrockSurface;
    case 'saddle':
      return saddleSurface;
    default:
      throw new RangeError(`surfaceById: unknown surface ${JSON.stringify(id)}`);
  }
}

export const SURFACE_IDS: readonly SurfaceId[] = ['quadratic', 'rosenbrock', 'saddle'];
