// The legend under every chart, in HTML: recharts' own legend measures its
// box on every redraw, and an HTML one wraps on a phone and reads aloud.

export interface LegendEntry {
  key: string;
  label: string;
  /** A CSS colour, e.g. 'var(--series-1)'. */
  color: string;
  dashed?: boolean;
}

export function ChartLegend({ entries, caption }: { entries: readonly LegendEntry[]; caption?: string }) {
  return (
    <figcaption>
      {entries.map((s) => (
        <span className="legend-item" key={s.key}>
          <span
            className="legend-swatch"
            style={s.dashed ? { background: `repeating-linear-gradient(90deg, ${s.color} 0 6px, transparent 6px 10px)` } : { background: s.color }}
          />
          {s.label}
        </span>
      ))}
      {caption && <span className="muted"> {caption}</span>}
    </figcaption>
  );
}
