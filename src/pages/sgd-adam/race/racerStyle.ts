/**
 * How each optimiser is drawn. Colour alone cannot tell five lines apart for every
 * reader (or on a grey-scale projector), so each racer also has its own dash
 * pattern and end-marker shape; the legend shows all three.
 */
import type { RacerKind } from '../../../core/optim/race';

/** The race's fixed order: plain SGD first, then each idea the lecture adds to it. */
export const RACER_KINDS: readonly RacerKind[] = ['sgd', 'momentum', 'adam', 'adamw', 'adafactor'];

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';

export interface RacerStyle {
  /** A CSS colour; the variables are defined in styles.css (with presenter-mode overrides). */
  color: string;
  /** SVG stroke-dasharray, '' for a solid line. */
  dash: string;
  marker: MarkerShape;
}

export const RACER_STYLES: Record<RacerKind, RacerStyle> = {
  sgd: { color: 'var(--race-sgd)', dash: '', marker: 'circle' },
  momentum: { color: 'var(--race-momentum)', dash: '9 4', marker: 'square' },
  adam: { color: 'var(--race-adam)', dash: '2 3', marker: 'triangle' },
  adamw: { color: 'var(--race-adamw)', dash: '10 3 2 3', marker: 'diamond' },
  adafactor: { color: 'var(--race-adafactor)', dash: '5 2 5 6', marker: 'cross' },
};

/** An SVG path for a marker of half-size r centred on (cx, cy). */
export function markerPath(shape: MarkerShape, cx: number, cy: number, r: number): string {
  const f = (v: number) => Number(v.toFixed(2));
  switch (shape) {
    case 'circle':
      // Two arcs: a path (not a <circle>) so every marker is drawn by the same element.
      return `M${f(cx - r)} ${f(cy)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0Z`;
    case 'square':
      return `M${f(cx - r)} ${f(cy - r)}h${f(2 * r)}v${f(2 * r)}h${f(-2 * r)}Z`;
    case 'triangle':
      return `M${f(cx)} ${f(cy - r)}L${f(cx + r)} ${f(cy + r)}L${f(cx - r)} ${f(cy + r)}Z`;
    case 'diamond':
      return `M${f(cx)} ${f(cy - r)}L${f(cx + r)} ${f(cy)}L${f(cx)} ${f(cy + r)}L${f(cx - r)} ${f(cy)}Z`;
    case 'cross':
      return `M${f(cx - r)} ${f(cy - r)}L${f(cx + r)} ${f(cy + r)}M${f(cx + r)} ${f(cy - r)}L${f(cx - r)} ${f(cy + r)}`;
  }
}
