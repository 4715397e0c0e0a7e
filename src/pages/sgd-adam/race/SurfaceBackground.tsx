import { memo, useMemo } from 'react';
import type { Surface2D } from '../../../core/optim/surfaces';
import { evaluateGrid, layerOpacity, layerPaths } from './lossGrid';
import type { PlotFrame } from './plotGeometry';

/**
 * The shaded bands of log(f - f* + eps), as nested layers (see layerRuns). Memoised on the surface: dragging the start or
 * editing a learning rate redraws the trajectories, never this.
 */
export const SurfaceBackground = memo(function SurfaceBackground({
  surface,
  frame,
}: {
  surface: Surface2D;
  frame: PlotFrame;
}) {
  const paths = useMemo(() => layerPaths(evaluateGrid(surface), frame), [surface, frame]);
  return (
    <g className="race-bands" aria-hidden="true" shapeRendering="crispEdges">
      {paths.map((d, i) => (d ? <path key={i} d={d} fillOpacity={layerOpacity(i, paths.length).toFixed(4)} /> : null))}
    </g>
  );
});
