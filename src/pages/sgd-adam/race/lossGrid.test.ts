import { describe, expect, it } from 'vitest';
import {
  quadraticSurface,
  rosenbrockSurface,
  saddleSurface,
  SURFACE_IDS,
  surfaceById,
} from '../../../core/optim/surfaces';
import {
  bandOf,
  bandOpacity,
  evaluateGrid,
  layerOpacity,
  layerPaths,
  layerRuns,
  logGap,
  lowestValue,
  type LossGrid,
} from './lossGrid';
import { makeFrame } from './plotGeometry';

describe('logGap', () => {
  it('is log(f - f* + eps), and finite at and just below the minimum', () => {
    expect(logGap(1, 0, 1)).toBe(Math.log(2));
    expect(logGap(-1, -1)).toBe(Math.log(1e-2));
    expect(logGap(-1 - 1e-15, -1)).toBe(Math.log(1e-2));
  });

  it('uses the lowest minimum of each surface', () => {
    expect(lowestValue(quadraticSurface())).toBe(0);
    expect(lowestValue(rosenbrockSurface)).toBe(0);
    expect(lowestValue(saddleSurface)).toBe(-1);
  });
});

describe('evaluateGrid', () => {
  it('gives each cell the lowest of its corners and centre, top row first', () => {
    // 2 x 2 cells over the quadratic's [-5, 5] x [-1.5, 1.5]: every cell has the minimum (0, 0)
    // as a corner.
    const grid = evaluateGrid(quadraticSurface(), 2, 2);
    expect(Array.from(grid.z)).toEqual([logGap(0, 0), logGap(0, 0), logGap(0, 0), logGap(0, 0)]);
    // 3 x 1 cells over the saddle's [-2.5, 2.5] x [-2.5, 2.5]: the middle cell (x in [-5/6, 5/6])
    // reaches (0, +-sqrt 2) nowhere among its samples; its lowest is the centre (0, 0), f = 0.
    const saddle = evaluateGrid(saddleSurface, 3, 1);
    const side = Math.min(saddleSurface.value(-5 / 6, 2.5), saddleSurface.value(-2.5 + 0.5 * (5 / 3), 0)); // corner, centre
    expect(saddle.z[1]).toBe(logGap(0, -1));
    expect(saddle.z[0]).toBe(logGap(side, -1));
    expect(saddle.z[2]).toBeCloseTo(saddle.z[0], 14); // mirror image, up to the rounding of x = 2.5 - 5/6
  });

  it('is finite everywhere, and every minimum sits in the palest band', () => {
    for (const id of SURFACE_IDS) {
      const surface = surfaceById(id);
      const grid = evaluateGrid(surface);
      expect(grid.z).toHaveLength(3600);
      expect(grid.z.every(Number.isFinite), id).toBe(true);
      for (const m of surface.minima) {
        // The cell whose square holds the minimum (Rosenbrock's flat valley floor may hold a lower
        // cell centre elsewhere, so "the lowest cell" would be the wrong thing to ask for).
        const col = Math.floor(((m.x - surface.view.xMin) / (surface.view.xMax - surface.view.xMin)) * grid.cols);
        const row = Math.floor(((surface.view.yMax - m.y) / (surface.view.yMax - surface.view.yMin)) * grid.rows);
        expect(bandOf(grid.z[row * grid.cols + col], grid.zMin, grid.zMax), `${id} at (${m.x}, ${m.y})`).toBe(0);
      }
    }
  });
});

describe('bands', () => {
  it('split [zMin, zMax] into equal bands, the top edge in the last one', () => {
    expect(bandOf(0, 0, 12)).toBe(0);
    expect(bandOf(0.999, 0, 12)).toBe(0);
    expect(bandOf(1, 0, 12)).toBe(1);
    expect(bandOf(12, 0, 12)).toBe(11);
    expect(bandOf(5, 5, 5)).toBe(0); // a flat grid is one band
  });

  it('stack into layers: a cell in band b is covered by layers 0..b, each exactly once', () => {
    const grid = evaluateGrid(rosenbrockSurface);
    const runs = layerRuns(grid);
    const covered = new Uint8Array(grid.rows * grid.cols);
    runs.forEach((layer, i) => {
      const seen = new Uint8Array(grid.rows * grid.cols);
      for (const { row, colStart, colEnd } of layer) {
        expect(colEnd).toBeGreaterThan(colStart);
        for (let c = colStart; c < colEnd; c++) {
          const k = row * grid.cols + c;
          expect(seen[k], `layer ${i} covers cell ${k} twice`).toBe(0);
          seen[k] = 1;
          covered[k] += 1;
        }
      }
    });
    for (let k = 0; k < covered.length; k++) expect(covered[k]).toBe(bandOf(grid.z[k], grid.zMin, grid.zMax) + 1);
  });

  it('merge neighbouring cells of a layer into a single run', () => {
    const grid: LossGrid = {
      cols: 4,
      rows: 2,
      view: { xMin: 0, xMax: 4, yMin: 0, yMax: 2 },
      z: Float64Array.from([0, 0, 1, 1, 1, 0, 0, 1]),
      zMin: 0,
      zMax: 1,
    };
    expect(layerRuns(grid, 2)).toEqual([
      [
        { row: 0, colStart: 0, colEnd: 4 },
        { row: 1, colStart: 0, colEnd: 4 },
      ],
      [
        { row: 0, colStart: 2, colEnd: 4 },
        { row: 1, colStart: 0, colEnd: 1 },
        { row: 1, colStart: 3, colEnd: 4 },
      ],
    ]);
    // In a 4 x 2 pixel plot area at (56, 12) each cell is 1 x 1 pixel.
    const frame = makeFrame(grid.view, 74, 52);
    expect(layerPaths(grid, frame, 2)).toEqual([
      'M56 12h4v1h-4zM56 13h4v1h-4z',
      'M58 12h2v1h-2zM56 13h1v1h-1zM59 13h1v1h-1z',
    ]);
  });

  it('are drawn as a dozen paths, not thousands of cells', () => {
    const grid = evaluateGrid(quadraticSurface());
    const paths = layerPaths(grid, makeFrame(grid.view));
    expect(paths).toHaveLength(12);
    expect(paths.every((d) => d.length > 0)).toBe(true);
  });

  it('darken monotonically from the minimum uphill', () => {
    const ops = Array.from({ length: 12 }, (_, i) => bandOpacity(i));
    expect(ops[0]).toBe(0.04);
    expect(ops[11]).toBeCloseTo(0.54, 15);
    expect(ops.every((o, i) => i === 0 || o > ops[i - 1])).toBe(true);
  });

  it('stack layer opacities to exactly each band’s opacity', () => {
    let transmitted = 1; // fraction of the background still showing
    for (let i = 0; i < 12; i++) {
      const a = layerOpacity(i);
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThan(1);
      transmitted *= 1 - a;
      expect(1 - transmitted).toBeCloseTo(bandOpacity(i), 14);
    }
  });
});
