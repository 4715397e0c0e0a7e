import type { RacerKind } from '../../../core/optim/race';
import { RACER_LABELS } from '../../../core/optim/race';
import { markerPath, RACER_KINDS, RACER_STYLES } from './racerStyle';

/** A small sample of a racer's line: colour, dash pattern and end marker together. */
export function RacerSwatch({ kind }: { kind: RacerKind }) {
  const style = RACER_STYLES[kind];
  return (
    <svg className="race-swatch" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true">
      <line x1="1" y1="6" x2="31" y2="6" style={{ stroke: style.color }} strokeDasharray={style.dash || undefined} />
      <path d={markerPath(style.marker, 34, 6, 4)} style={{ stroke: style.color, fill: style.color }} />
    </svg>
  );
}

/** The legend doubles as the show / hide switches. */
export function RaceLegend({ hidden, onToggle }: { hidden: readonly RacerKind[]; onToggle(kind: RacerKind): void }) {
  return (
    <fieldset className="race-legend">
      <legend className="visually-hidden">Show or hide each optimiser</legend>
      {RACER_KINDS.map((kind) => (
        <label key={kind} className="race-legend-item" data-testid={`race-toggle-${kind}`}>
          <input type="checkbox" checked={!hidden.includes(kind)} onChange={() => onToggle(kind)} />
          <RacerSwatch kind={kind} />
          {RACER_LABELS[kind]}
        </label>
      ))}
    </fieldset>
  );
}
