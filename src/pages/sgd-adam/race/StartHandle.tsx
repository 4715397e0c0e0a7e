import type { KeyboardEvent } from 'react';
import type { Point2D } from '../../../core/optim/surfaces';
import { isArrowKey, toPx, type ArrowKey, type PlotFrame } from './plotGeometry';
import { formatCoord } from './raceResults';

export interface StartHandleProps {
  frame: PlotFrame;
  start: Point2D;
  /** id of the visible instructions, for aria-describedby. */
  instructionsId: string;
  onNudge(key: ArrowKey, coarse: boolean): void;
  onReset(): void;
}

/**
 * The draggable start point. It is a focusable button in the SVG: arrow keys move it
 * (Shift for bigger steps), Home puts it back. Pointer dragging is handled by the plot,
 * which sees every move even when the pointer is off the handle.
 */
export function StartHandle({ frame, start, instructionsId, onNudge, onReset }: StartHandleProps) {
  const { px, py } = toPx(frame, start);
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (isArrowKey(e.key)) {
      e.preventDefault(); // the page must not scroll while the point moves
      onNudge(e.key, e.shiftKey);
    } else if (e.key === 'Home') {
      e.preventDefault();
      onReset();
    }
  };
  return (
    <g
      className="race-start"
      transform={`translate(${px.toFixed(2)} ${py.toFixed(2)})`}
      tabIndex={0}
      role="button"
      aria-roledescription="movable start point"
      aria-label={`Start point at x ${formatCoord(start.x)}, y ${formatCoord(start.y)}`}
      aria-describedby={instructionsId}
      onKeyDown={onKeyDown}
      data-testid="race-start"
      data-x={start.x}
      data-y={start.y}
    >
      {/* A larger transparent disc: an easier target for a finger or a mouse. */}
      <circle r={14} className="race-start-hit" />
      <circle r={10} className="race-start-focus" />
      <circle r={6} className="race-start-dot" />
    </g>
  );
}
