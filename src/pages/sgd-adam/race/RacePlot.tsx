import { useId, useRef, type PointerEvent } from 'react';
import type { RacerKind, Trajectory } from '../../../core/optim/race';
import type { Point2D, Surface2D } from '../../../core/optim/surfaces';
import { clampToView, insideView, niceTicks, toPx, toWorld, type ArrowKey, type PlotFrame } from './plotGeometry';
import { markerPath, RACER_STYLES } from './racerStyle';
import { formatCoord, formatNumber, pointsUpTo } from './raceResults';
import { StartHandle } from './StartHandle';
import { SurfaceBackground } from './SurfaceBackground';

export interface RacePlotProps {
  surface: Surface2D;
  frame: PlotFrame;
  trajectories: readonly Trajectory[];
  /** Paths already built for step k, one per trajectory. */
  paths: readonly string[];
  step: number;
  hidden: readonly RacerKind[];
  start: Point2D;
  /** True while the form has an error: the plot shows the last valid race. */
  stale: boolean;
  instructionsId: string;
  onMoveStart(to: Point2D): void;
  onNudgeStart(key: ArrowKey, coarse: boolean): void;
  onResetStart(): void;
}

/** The loss surface, its minima, and every visible racer's path up to step k. */
export function RacePlot(props: RacePlotProps) {
  const { surface, frame, trajectories, paths, step, hidden, start, stale } = props;
  const svgRef = useRef<SVGSVGElement>(null);
  const dragging = useRef(false);
  const clipId = `race-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  // Screen pixels to world coordinates through the SVG's own transform, so the plot may be
  // scaled by CSS to any width.
  const worldAt = (e: PointerEvent<SVGSVGElement>): Point2D | null => {
    const ctm = svgRef.current?.getScreenCTM();
    if (!ctm) return null;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    return clampToView(toWorld(frame, p.x, p.y), frame.view);
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    const to = worldAt(e);
    if (!to) return;
    e.preventDefault(); // no text selection while dragging
    e.currentTarget.setPointerCapture(e.pointerId);
    dragging.current = true;
    svgRef.current?.querySelector<SVGGElement>('.race-start')?.focus(); // keys continue where the pointer left off
    props.onMoveStart(to);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!dragging.current) return;
    const to = worldAt(e);
    if (to) props.onMoveStart(to);
  };
  const endDrag = () => {
    dragging.current = false;
  };

  const { view } = frame;
  const xTicks = niceTicks(view.xMin, view.xMax, 6);
  const yTicks = niceTicks(view.yMin, view.yMax, 5);
  const bottom = frame.top + frame.plotHeight;

  return (
    <svg
      ref={svgRef}
      className={`race-plot${stale ? ' stale' : ''}`}
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      role="group"
      aria-label={`${surface.label}: paths of each optimiser from the start point, after ${step} steps`}
      data-testid="race-plot"
      data-surface={surface.id}
      data-stale={stale}
      data-step={step}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
    >
      <defs>
        <clipPath id={clipId}>
          <rect x={frame.left} y={frame.top} width={frame.plotWidth} height={frame.plotHeight} />
        </clipPath>
      </defs>
      <rect className="race-plot-area" x={frame.left} y={frame.top} width={frame.plotWidth} height={frame.plotHeight} />
      <SurfaceBackground surface={surface} frame={frame} />
      <g className="race-axes" aria-hidden="true">
        {xTicks.map((t) => {
          const { px } = toPx(frame, { x: t, y: view.yMin });
          return (
            <g key={`x${t}`}>
              <line x1={px} x2={px} y1={bottom} y2={bottom + 5} />
              <text x={px} y={bottom + 17} textAnchor="middle">
                {t}
              </text>
            </g>
          );
        })}
        {yTicks.map((t) => {
          const { py } = toPx(frame, { x: view.xMin, y: t });
          return (
            <g key={`y${t}`}>
              <line x1={frame.left - 5} x2={frame.left} y1={py} y2={py} />
              <text x={frame.left - 8} y={py + 4} textAnchor="end">
                {t}
              </text>
            </g>
          );
        })}
        <text x={frame.left + frame.plotWidth / 2} y={bottom + 32} textAnchor="middle" className="race-axis-name">
          x
        </text>
        <text x={12} y={frame.top + frame.plotHeight / 2} className="race-axis-name">
          y
        </text>
      </g>
      <g clipPath={`url(#${clipId})`}>
        {trajectories.map((t, i) => {
          const kind = t.racer.kind;
          if (hidden.includes(kind)) return null;
          const style = RACER_STYLES[kind];
          const shown = pointsUpTo(t, step);
          const end = shown[shown.length - 1];
          const endPx = toPx(frame, end);
          const first = t.points[0];
          const last = t.points[t.points.length - 1];
          return (
            <g key={kind} className="race-trajectory">
              {/* A halo in the panel colour keeps the line readable over dark bands. */}
              <path d={paths[i]} className="race-halo" />
              <path
                d={paths[i]}
                className="race-line"
                style={{ stroke: style.color }}
                strokeDasharray={style.dash || undefined}
                data-testid={`race-path-${kind}`}
                data-first-x={first.x}
                data-first-y={first.y}
                data-last-x={last.x}
                data-last-y={last.y}
                data-points={t.points.length}
                data-diverged={t.diverged}
              />
              {insideView(end, frame) && (
                <path
                  d={markerPath(style.marker, endPx.px, endPx.py, 5)}
                  className="race-end-marker"
                  style={{ stroke: style.color, fill: style.color }}
                />
              )}
            </g>
          );
        })}
      </g>
      <g className="race-stationary" aria-hidden="true">
        {surface.minima.map((m, i) => {
          const { px, py } = toPx(frame, m);
          return (
            <g
              key={`min${i}`}
              data-testid="race-minimum"
              className="race-minimum"
              transform={`translate(${px.toFixed(2)} ${py.toFixed(2)})`}
            >
              <title>{`minimum f = ${formatNumber(m.value)} at (${formatCoord(m.x)}, ${formatCoord(m.y)})`}</title>
              <path d="M0 -9L2.6 -3.6L8.6 -2.8L4.2 1.4L5.3 7.3L0 4.5L-5.3 7.3L-4.2 1.4L-8.6 -2.8L-2.6 -3.6Z" />
            </g>
          );
        })}
        {surface.saddlePoints.map((s, i) => {
          const { px, py } = toPx(frame, s);
          return (
            <g key={`saddle${i}`} className="race-saddle" transform={`translate(${px.toFixed(2)} ${py.toFixed(2)})`}>
              <title>{`saddle point at (${formatCoord(s.x)}, ${formatCoord(s.y)})`}</title>
              <path d="M0 -6L6 0L0 6L-6 0Z" />
            </g>
          );
        })}
      </g>
      <rect
        className="race-plot-frame"
        x={frame.left}
        y={frame.top}
        width={frame.plotWidth}
        height={frame.plotHeight}
      />
      <StartHandle
        frame={frame}
        start={start}
        instructionsId={props.instructionsId}
        onNudge={props.onNudgeStart}
        onReset={props.onResetStart}
      />
    </svg>
  );
}
