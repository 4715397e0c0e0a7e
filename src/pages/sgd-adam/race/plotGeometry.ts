/**
 * The plot's coordinate systems: world (the surface's x, y) and SVG pixels, with
 * y pointing up in the world and down on screen. The plot area is a fixed box
 * whatever the surface, so the axes need not share a scale (the quadratic's window
 * is 10 wide and 3 tall); the widget says so when they differ.
 */
import type { Point2D, ViewWindow } from '../../../core/optim/surfaces';

export interface PlotFrame {
  /** The whole SVG (its viewBox), axes included. */
  width: number;
  height: number;
  /** The plot area inside it: where the view window is drawn. */
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
  view: ViewWindow;
}

export interface PixelPoint {
  px: number;
  py: number;
}

/** Room for tick labels on the left and below. */
const MARGIN = { left: 56, right: 14, top: 12, bottom: 38 };

export function makeFrame(view: ViewWindow, width = 560, height = 420): PlotFrame {
  return {
    width,
    height,
    left: MARGIN.left,
    top: MARGIN.top,
    plotWidth: width - MARGIN.left - MARGIN.right,
    plotHeight: height - MARGIN.top - MARGIN.bottom,
    view,
  };
}

export function toPx(frame: PlotFrame, p: Point2D): PixelPoint {
  const { view } = frame;
  return {
    px: frame.left + ((p.x - view.xMin) / (view.xMax - view.xMin)) * frame.plotWidth,
    py: frame.top + ((view.yMax - p.y) / (view.yMax - view.yMin)) * frame.plotHeight,
  };
}

export function toWorld(frame: PlotFrame, px: number, py: number): Point2D {
  const { view } = frame;
  return {
    x: view.xMin + ((px - frame.left) / frame.plotWidth) * (view.xMax - view.xMin),
    y: view.yMax - ((py - frame.top) / frame.plotHeight) * (view.yMax - view.yMin),
  };
}

export function clampToView(p: Point2D, view: ViewWindow): Point2D {
  return {
    x: Math.min(view.xMax, Math.max(view.xMin, p.x)),
    y: Math.min(view.yMax, Math.max(view.yMin, p.y)),
  };
}

export function insideView(p: Point2D, frame: PlotFrame): boolean {
  const { view } = frame;
  return p.x >= view.xMin && p.x <= view.xMax && p.y >= view.yMin && p.y <= view.yMax;
}

/** Whether the two axes are drawn at the same scale (within 1%), so a circle would look round. */
export function sameAxisScale(frame: PlotFrame): boolean {
  const sx = frame.plotWidth / (frame.view.xMax - frame.view.xMin);
  const sy = frame.plotHeight / (frame.view.yMax - frame.view.yMin);
  return Math.abs(sx / sy - 1) < 0.01;
}

/** Arrow-key moves: 1/50 of the window per press, 1/10 with Shift; steps scale with each axis. */
export const FINE_STEPS_PER_WINDOW = 50;
export const COARSE_STEPS_PER_WINDOW = 10;

export type ArrowKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

export function isArrowKey(key: string): key is ArrowKey {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'ArrowUp' || key === 'ArrowDown';
}

/** The start point moved by one arrow-key press, kept inside the window. */
export function nudgePoint(p: Point2D, key: ArrowKey, view: ViewWindow, coarse: boolean): Point2D {
  const perWindow = coarse ? COARSE_STEPS_PER_WINDOW : FINE_STEPS_PER_WINDOW;
  const dx = (view.xMax - view.xMin) / perWindow;
  const dy = (view.yMax - view.yMin) / perWindow;
  const moved = {
    ArrowLeft: { x: p.x - dx, y: p.y },
    ArrowRight: { x: p.x + dx, y: p.y },
    ArrowUp: { x: p.x, y: p.y + dy },
    ArrowDown: { x: p.x, y: p.y - dy },
  }[key];
  return clampToView(moved, view);
}

/**
 * Round tick values inside [min, max]: steps of 1, 2 or 5 times a power of ten,
 * chosen so there are about `target` of them.
 */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  // The candidate nearest the raw step on a log scale: neither far too many ticks nor too few.
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
  const ticks: number[] = [];
  // Integer multiples of the step, so 0.1 + 0.2 style drift never reaches a label.
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * The part of segment a-b inside the box (Liang-Barsky), or null if none of it is.
 * Used instead of clamping far points: clamping would bend the visible part of a
 * line that leaves the plot, clipping keeps its direction exact.
 */
export function clipSegment(a: Point2D, b: Point2D, box: ViewWindow): [Point2D, Point2D] | null {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a.x - box.xMin],
    [dx, box.xMax - a.x],
    [-dy, a.y - box.yMin],
    [dy, box.yMax - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null; // parallel to this edge and outside it
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return null;
  }
  const at = (t: number) => ({ x: a.x + t * dx, y: a.y + t * dy });
  return [t0 === 0 ? a : at(t0), t1 === 1 ? b : at(t1)];
}

/** The view window grown by `fraction` of its size on every side. */
export function growWindow(view: ViewWindow, fraction: number): ViewWindow {
  const gx = (view.xMax - view.xMin) * fraction;
  const gy = (view.yMax - view.yMin) * fraction;
  return { xMin: view.xMin - gx, xMax: view.xMax + gx, yMin: view.yMin - gy, yMax: view.yMax + gy };
}

/** Pixels to two decimals: plenty for a plot a few hundred pixels wide, and short strings. */
const round2 = (v: number) => Math.round(v * 100) / 100;

const inside = (p: Point2D, box: ViewWindow) =>
  p.x >= box.xMin && p.x <= box.xMax && p.y >= box.yMin && p.y <= box.yMax;

/**
 * An SVG path through the points, cut where it leaves a box a little larger than the
 * view (the SVG clip path trims the rest). A diverging racer's points reach 1e6 and
 * beyond; clipping keeps every coordinate in the path a few hundred pixels at most.
 * This runs for every racer on every edit and replay frame (5,000 points on Rosenbrock),
 * so segments wholly inside the box skip the clipping.
 */
export function polylinePath(points: readonly Point2D[], frame: PlotFrame): string {
  const box = growWindow(frame.view, 0.05);
  const { view } = frame;
  const sx = frame.plotWidth / (view.xMax - view.xMin);
  const sy = frame.plotHeight / (view.yMax - view.yMin);
  let d = '';
  const emit = (cmd: 'M' | 'L', p: Point2D) => {
    d += `${cmd}${round2(frame.left + (p.x - view.xMin) * sx)} ${round2(frame.top + (view.yMax - p.y) * sy)}`;
  };
  if (points.length === 1 && inside(points[0], box)) emit('M', points[0]);
  let penDown = false; // whether the previous point was drawn and the line continues from it
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (penDown && inside(b, box)) {
      emit('L', b);
      continue;
    }
    const piece = clipSegment(a, b, box);
    if (!piece) {
      penDown = false;
      continue;
    }
    const [from, to] = piece;
    if (!penDown || from !== a) emit('M', from);
    emit('L', to);
    penDown = to === b; // a clipped end means the line left the box here
  }
  return d;
}
