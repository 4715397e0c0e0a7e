import { describe, expect, it } from 'vitest';
import {
  quadraticSurface,
  rosenbrockSurface,
  saddleSurface,
  SURFACE_IDS,
  surfaceById,
  type Surface2D,
} from './surfaces';

/** Central differences: error O(h^2 f''') ~ 1e-10 at h = 1e-5, plus rounding ~ eps |f| / h. */
function numericGradient(s: Surface2D, x: number, y: number, h = 1e-5): [number, number] {
  return [(s.value(x + h, y) - s.value(x - h, y)) / (2 * h), (s.value(x, y + h) - s.value(x, y - h)) / (2 * h)];
}

const surfaces = [quadraticSurface(), quadraticSurface(0.3, 7), rosenbrockSurface, saddleSurface];

describe('2-D loss surfaces', () => {
  it.each(surfaces.map((s) => [s.label, s] as const))('%s: exact gradient matches central differences', (_l, s) => {
    const { xMin, xMax, yMin, yMax } = s.view;
    for (let i = 0; i <= 6; i++) {
      for (let j = 0; j <= 6; j++) {
        // A grid over the view window, nudged off the symmetric points.
        const x = xMin + ((xMax - xMin) * (i + 0.137)) / 6.3;
        const y = yMin + ((yMax - yMin) * (j + 0.291)) / 6.3;
        const [gx, gy] = s.gradient(x, y);
        const [nx, ny] = numericGradient(s, x, y);
        // Relative 1e-6 of the gradient scale: a wrong coefficient (2 vs 4, 100 vs 200) is off by 10%+.
        const scale = Math.max(1, Math.hypot(gx, gy));
        expect(Math.abs(gx - nx) / scale, `df/dx at (${x}, ${y})`).toBeLessThan(1e-6);
        expect(Math.abs(gy - ny) / scale, `df/dy at (${x}, ${y})`).toBeLessThan(1e-6);
      }
    }
  });

  it.each(surfaces.map((s) => [s.label, s] as const))(
    '%s: minima have zero gradient, the stated value, and nothing nearby is lower',
    (_l, s) => {
      for (const m of s.minima) {
        expect(s.value(m.x, m.y)).toBeCloseTo(m.value, 14);
        const [gx, gy] = s.gradient(m.x, m.y);
        expect(Math.hypot(gx, gy)).toBeLessThan(1e-12);
        for (let k = 0; k < 16; k++) {
          const a = (2 * Math.PI * k) / 16;
          expect(s.value(m.x + 1e-3 * Math.cos(a), m.y + 1e-3 * Math.sin(a))).toBeGreaterThan(m.value);
        }
      }
    },
  );

  it('each start lies in its view window and is not a stationary point', () => {
    for (const s of surfaces) {
      expect(s.start.x).toBeGreaterThan(s.view.xMin);
      expect(s.start.x).toBeLessThan(s.view.xMax);
      expect(s.start.y).toBeGreaterThan(s.view.yMin);
      expect(s.start.y).toBeLessThan(s.view.yMax);
      expect(Math.hypot(...s.gradient(s.start.x, s.start.y))).toBeGreaterThan(0.1);
      for (const m of s.minima) expect(s.value(s.start.x, s.start.y)).toBeGreaterThan(m.value);
    }
  });

  it('the quadratic defaults to condition number 50, known values at hand-picked points', () => {
    const q = quadraticSurface();
    expect(q.label).toContain('50');
    expect(q.value(2, 1)).toBe(0.5 * (4 + 50));
    expect(rosenbrockSurface.value(0, 0)).toBe(1);
    expect(rosenbrockSurface.value(-1.2, 1)).toBeCloseTo(24.2, 12);
    expect(saddleSurface.value(1, 2)).toBe(1 - 4 + 4);
  });

  it('the saddle has a saddle point at the origin: a minimum along x, a maximum along y', () => {
    const s = saddleSurface;
    expect(s.saddlePoints).toEqual([{ x: 0, y: 0 }]);
    expect(Math.hypot(...s.gradient(0, 0))).toBe(0);
    expect(s.value(0.1, 0)).toBeGreaterThan(0);
    expect(s.value(0, 0.1)).toBeLessThan(0);
    // Bounded below: the quartic wins far out along y.
    expect(s.value(0, 100)).toBeGreaterThan(0);
  });

  it('surfaceById returns each surface and rejects unknown ids', () => {
    for (const id of SURFACE_IDS) expect(surfaceById(id).id).toBe(id);
    expect(() => surfaceById('bowl' as never)).toThrow(RangeError);
    expect(() => quadraticSurface(0, 1)).toThrow(/curvatures/);
    expect(() => quadraticSurface(1, -2)).toThrow(RangeError);
  });
});
