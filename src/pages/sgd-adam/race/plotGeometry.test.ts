import { describe, expect, it } from 'vitest';
import { quadraticSurface, rosenbrockSurface } from '../../../core/optim/surfaces';
import {
  clampToView,
  clipSegment,
  makeFrame,
  niceTicks,
  nudgePoint,
  polylinePath,
  sameAxisScale,
  toPx,
  toWorld,
} from './plotGeometry';

// 500 x 400 plot area (570 - 56 - 14, 450 - 12 - 38): round numbers for exact checks.
const quadView = quadraticSurface().view; // x in [-5, 5], y in [-1.5, 1.5]
const frame = makeFrame(quadView, 570, 450);

describe('plot coordinates', () => {
  it('maps the window corners to the plot area corners, y pointing up', () => {
    expect(frame.plotWidth).toBe(500);
    expect(frame.plotHeight).toBe(400);
    expect(toPx(frame, { x: -5, y: 1.5 })).toEqual({ px: 56, py: 12 });
    expect(toPx(frame, { x: 5, y: -1.5 })).toEqual({ px: 556, py: 412 });
    expect(toPx(frame, { x: 0, y: 0 })).toEqual({ px: 306, py: 212 });
  });

  it('toWorld undoes toPx', () => {
    for (const p of [
      { x: -4, y: 1 },
      { x: 2.5, y: -0.75 },
      { x: 0, y: 0 },
    ]) {
      const { px, py } = toPx(frame, p);
      const back = toWorld(frame, px, py);
      expect(back.x).toBeCloseTo(p.x, 12);
      expect(back.y).toBeCloseTo(p.y, 12);
    }
  });

  it('knows when the axes share a scale', () => {
    expect(sameAxisScale(frame)).toBe(false); // 50 px per unit across, 133 up
    expect(sameAxisScale(makeFrame(rosenbrockSurface.view, 470, 450))).toBe(true); // 400 x 400 for a 4 x 4 window
  });

  it('clamps points into the window', () => {
    expect(clampToView({ x: -9, y: 0.5 }, quadView)).toEqual({ x: -5, y: 0.5 });
    expect(clampToView({ x: 1, y: 7 }, quadView)).toEqual({ x: 1, y: 1.5 });
  });
});

describe('arrow-key moves', () => {
  it('step 1/50 of the window per axis, 1/10 with Shift', () => {
    expect(nudgePoint({ x: 0, y: 0 }, 'ArrowRight', quadView, false)).toEqual({ x: 0.2, y: 0 });
    expect(nudgePoint({ x: 0, y: 0 }, 'ArrowUp', quadView, false)).toEqual({ x: 0, y: 0.06 });
    expect(nudgePoint({ x: 0, y: 0 }, 'ArrowLeft', quadView, true)).toEqual({ x: -1, y: 0 });
    expect(nudgePoint({ x: 0, y: 0 }, 'ArrowDown', quadView, true)).toEqual({ x: 0, y: -0.3 });
  });

  it('stop at the edge of the window', () => {
    expect(nudgePoint({ x: 4.9, y: 0 }, 'ArrowRight', quadView, true)).toEqual({ x: 5, y: 0 });
  });
});

describe('niceTicks', () => {
  it('picks 1-2-5 steps and includes both ends when they are round', () => {
    expect(niceTicks(-5, 5)).toEqual([-4, -2, 0, 2, 4]);
    expect(niceTicks(-1.5, 1.5)).toEqual([-1.5, -1, -0.5, 0, 0.5, 1, 1.5]);
    expect(niceTicks(-1, 3)).toEqual([-1, 0, 1, 2, 3]);
    expect(niceTicks(-2.5, 2.5)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('has no floating-point drift in its labels', () => {
    expect(niceTicks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('is empty for an empty range', () => {
    expect(niceTicks(1, 1)).toEqual([]);
  });
});

describe('clipSegment', () => {
  const box = { xMin: 0, xMax: 10, yMin: 0, yMax: 10 };

  it('keeps a segment inside the box as it is (same objects)', () => {
    const a = { x: 1, y: 1 };
    const b = { x: 9, y: 2 };
    const [c, d] = clipSegment(a, b, box)!;
    expect(c).toBe(a);
    expect(d).toBe(b);
  });

  it('cuts a segment at the edges it crosses, keeping its direction', () => {
    expect(clipSegment({ x: 5, y: 5 }, { x: 15, y: 5 }, box)).toEqual([
      { x: 5, y: 5 },
      { x: 10, y: 5 },
    ]);
    expect(clipSegment({ x: -10, y: 0 }, { x: 20, y: 15 }, box)).toEqual([
      { x: 0, y: 5 },
      { x: 10, y: 10 },
    ]);
  });

  it('returns null for a segment entirely outside', () => {
    expect(clipSegment({ x: -1, y: -1 }, { x: -5, y: 20 }, box)).toBeNull();
    expect(clipSegment({ x: 11, y: 0 }, { x: 11, y: 10 }, box)).toBeNull();
  });
});

describe('polylinePath', () => {
  it('draws a path inside the window as one move and a line per step', () => {
    expect(
      polylinePath(
        [
          { x: -5, y: 1.5 },
          { x: 0, y: 0 },
          { x: 5, y: -1.5 },
        ],
        frame,
      ),
    ).toBe('M56 12L306 212L556 412');
  });

  it('cuts a runaway path at the grown window and never emits huge coordinates', () => {
    // Like SGD above its stability limit: y flips sign and grows 1.5x a step.
    const points = Array.from({ length: 60 }, (_, t) => ({ x: 0, y: (-1.5) ** t }));
    const d = polylinePath(points, frame);
    const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(Math.max(...numbers.map(Math.abs))).toBeLessThan(1000);
    // The window grown by 5% reaches y = +-1.65: 1 and -1.5 are inside, 2.25 is not, so the
    // third segment stops at y = 1.65, 20 px above the plot area (the SVG clip trims it).
    expect(d.startsWith('M306 78.67L306 412L306 -8M')).toBe(true);
  });

  it('starts a new piece when a path comes back into view', () => {
    const d = polylinePath(
      [
        { x: 0, y: 0 },
        { x: 0, y: 10 },
        { x: 1, y: 10 },
        { x: 1, y: 0 },
      ],
      frame,
    );
    expect(d.match(/M/g)).toHaveLength(2);
  });

  it('draws a lone start point as a single move', () => {
    expect(polylinePath([{ x: 0, y: 0 }], frame)).toBe('M306 212');
  });
});
