/**
 * The shaded background of the race: log(f - f* + eps) sampled on a coarse grid, cut into equal bands, each band drawn as ONE SVG path made of
 * row runs. 60 x 60 cells would be 3,600 <rect>s; as paths it is a dozen elements,
 * cheap to mount and to swap when the surface changes.
 */
import type { Surface2D, ViewWindow } from '../../../core/optim/surfaces';
import type { PlotFrame } from './plotGeometry';

export const GRID_CELLS = 60;
export const BAND_COUNT = 12;
/**
 * Added before the log: without it the bands would crowd around the minimum, where
 * f - f* goes to 0 and its log to -infinity, all inside a cell or two.
 */
export const LOG_EPS = 1e-2;

export interface LossGrid {
  cols: number;
  rows: number;
  view: ViewWindow;
  /** z = log(f - f* + eps) of the cell's lowest sample, row-major [rows * cols]; row 0 is the TOP row (largest y). */
  z: Float64Array;
  zMin: number;
  zMax: number;
}

/** The lowest value of the surface: every global minimum has it. */
export function lowestValue(surface: Surface2D): number {
  return Math.min(...surface.minima.map((m) => m.value));
}

export function logGap(f: number, fStar: number, eps = LOG_EPS): number {
  // Rounding can put f a hair below f*; the log must still be finite.
  return Math.log(Math.max(f - fStar, 0) + eps);
}

/**
 * Each cell gets the lowest f among its four corners and its centre. Sampling the centre
 * alone lets a narrow valley slip between samples: Rosenbrock's minimum (1, 1) sits on a
 * cell corner at 60 cells, and its cell's centre is already at f = 1.
 */
export function evaluateGrid(surface: Surface2D, cols = GRID_CELLS, rows = GRID_CELLS): LossGrid {
  const { view } = surface;
  const fStar = lowestValue(surface);
  const dx = (view.xMax - view.xMin) / cols;
  const dy = (view.yMax - view.yMin) / rows;
  // Corner lattice [(rows + 1) * (cols + 1)], shared by neighbouring cells.
  const corners = new Float64Array((rows + 1) * (cols + 1));
  for (let r = 0; r <= rows; r++) {
    for (let c = 0; c <= cols; c++) corners[r * (cols + 1) + c] = surface.value(view.xMin + c * dx, view.yMax - r * dy);
  }
  const z = new Float64Array(rows * cols);
  let zMin = Infinity;
  let zMax = -Infinity;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * (cols + 1) + c;
      const lowest = Math.min(
        surface.value(view.xMin + (c + 0.5) * dx, view.yMax - (r + 0.5) * dy),
        corners[k],
        corners[k + 1],
        corners[k + cols + 1],
        corners[k + cols + 2],
      );
      const v = logGap(lowest, fStar);
      z[r * cols + c] = v;
      if (v < zMin) zMin = v;
      if (v > zMax) zMax = v;
    }
  }
  return { cols, rows, view, z, zMin, zMax };
}

/** Which of `count` equal bands over [zMin, zMax] holds z; the top edge belongs to the last band. */
export function bandOf(z: number, zMin: number, zMax: number, count = BAND_COUNT): number {
  if (!(zMax > zMin)) return 0;
  return Math.min(count - 1, Math.max(0, Math.floor(((z - zMin) / (zMax - zMin)) * count)));
}

export interface CellRun {
  row: number;
  /** First cell of the run, and one past its last. */
  colStart: number;
  colEnd: number;
}

/**
 * The bands are drawn as stacked layers: layer i covers every cell in band i OR HIGHER,
 * and each layer adds a little opacity. Drawing each band on its own would put two
 * paths edge to edge, and wherever rounding makes them overlap by a pixel the overlap
 * shows as a dark seam; nested layers make such an overlap look like a boundary moved
 * by a pixel instead.
 *
 * Returns each layer's horizontal runs of neighbouring cells: [layer][run].
 */
export function layerRuns(grid: LossGrid, count = BAND_COUNT): CellRun[][] {
  const runs: CellRun[][] = Array.from({ length: count }, () => []);
  const bands = new Int32Array(grid.cols);
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) bands[c] = bandOf(grid.z[r * grid.cols + c], grid.zMin, grid.zMax, count);
    for (let layer = 0; layer < count; layer++) {
      let start = -1; // start of the open run, -1 when none is open
      for (let c = 0; c <= grid.cols; c++) {
        const inLayer = c < grid.cols && bands[c] >= layer;
        if (inLayer && start < 0) start = c;
        if (!inLayer && start >= 0) {
          runs[layer].push({ row: r, colStart: start, colEnd: c });
          start = -1;
        }
      }
    }
  }
  return runs;
}

/** One SVG path per layer (empty when no cell reaches it), in the frame's pixels. */
export function layerPaths(grid: LossGrid, frame: PlotFrame, count = BAND_COUNT): string[] {
  const cw = frame.plotWidth / grid.cols;
  const ch = frame.plotHeight / grid.rows;
  const f = (v: number) => Number(v.toFixed(2));
  return layerRuns(grid, count).map((runs) =>
    runs
      .map(({ row, colStart, colEnd }) => {
        const x = frame.left + colStart * cw;
        const y = frame.top + row * ch;
        return `M${f(x)} ${f(y)}h${f((colEnd - colStart) * cw)}v${f(ch)}h${f(-(colEnd - colStart) * cw)}z`;
      })
      .join(''),
  );
}

/** The opacity band i should end up with: pale near the minimum (where the racers end up), darker uphill. */
export function bandOpacity(i: number, count = BAND_COUNT): number {
  return 0.04 + (0.5 * i) / Math.max(1, count - 1);
}

/**
 * Opacity of layer i such that layers 0..i stacked give band i exactly bandOpacity(i):
 * over a covered pixel, 1 - total = (1 - a_0)(1 - a_1)...(1 - a_i).
 */
export function layerOpacity(i: number, count = BAND_COUNT): number {
  if (i === 0) return bandOpacity(0, count);
  return 1 - (1 - bandOpacity(i, count)) / (1 - bandOpacity(i - 1, count));
}
