// The legend under every chart, in HTML: recharts' own legend measures its
// box on every redraw, and an HTML one wraps on a phone and reads aloud.
// Given `onToggle`, every entry is a button that shows or hides its line.
import { REFERENCE_DASH } from './chartModel';
import './charts.css';

export interface LegendEntry {
  key: string;
  label: string;
  /** A CSS colour, e.g. 'var(--series-1)'. */
  color: string;
  /** The line's SVG dash pattern ('' or absent: solid); wins over `dashed`. */
  dash?: string;
  dashed?: boolean;
  dots?: boolean;
  emphasis?: boolean;
}

/** A short stretch of the line as drawn: same colour, dash pattern, width and dots. */
export function Swatch({ color, dash, dashed, dots, emphasis }: Omit<LegendEntry, 'key' | 'label'>) {
  const pattern = dash !== undefined ? dash || undefined : dashed ? REFERENCE_DASH : undefined;
  return (
    <svg className="legend-line" width="32" height="10" viewBox="0 0 32 10" aria-hidden="true" focusable="false">
      <line x1="0" y1="5" x2="32" y2="5" stroke={color} strokeWidth={emphasis ? 3 : 2} strokeDasharray={pattern} />
      {dots && (
        <>
          <circle cx="8" cy="5" r="2.5" fill={color} />
          <circle cx="24" cy="5" r="2.5" fill={color} />
        </>
      )}
    </svg>
  );
}

export function ChartLegend({
  entries,
  caption,
  shown,
  onToggle,
}: {
  entries: readonly LegendEntry[];
  caption?: string;
  /** Keys of the lines drawn now (with onToggle). */
  shown?: ReadonlySet<string>;
  onToggle?: (key: string) => void;
}) {
  const anyEmphasis = entries.some((s) => s.emphasis);
  return (
    <figcaption>
      {entries.map((s) => {
        const swatch = <Swatch color={s.color} dash={s.dash} dashed={s.dashed} dots={s.dots} emphasis={s.emphasis} />;
        if (!onToggle)
          return (
            <span className="legend-item" key={s.key}>
              {swatch}
              {s.label}
            </span>
          );
        const on = shown?.has(s.key) ?? true;
        const look = !on ? ' legend-off' : s.emphasis ? ' legend-emphasis' : anyEmphasis ? ' legend-faint' : '';
        return (
          <button
            type="button"
            key={s.key}
            className={`legend-item legend-toggle${look}`}
            aria-pressed={on}
            title={`${on ? 'Hide' : 'Show'} ${s.label}`}
            data-series={s.key}
            onClick={() => onToggle(s.key)}
          >
            {swatch}
            {s.label}
          </button>
        );
      })}
      {caption && <span className="muted"> {caption}</span>}
    </figcaption>
  );
}
