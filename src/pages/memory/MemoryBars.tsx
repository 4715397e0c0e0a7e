import {
  barId,
  isMissing,
  OPTIMIZER_LABEL,
  PRECISION_LABEL,
  SEGMENT_LEGEND,
  type MemoryBar,
  type MissingBar,
  type SegmentKind,
} from './bars';
import { formatBytes, formatExact, formatMultiple } from './format';
import { ScrollRegion } from '../../components/ScrollRegion';

const KINDS: readonly SegmentKind[] = ['weights', 'gradients', 'master', 'state'];

/** Segments narrower than this share of the track keep their label for screen readers only. */
const MIN_LABEL_SHARE = 0.07;

/**
 * The training state as stacked horizontal bars, one per optimiser and
 * precision, drawn to one scale. Every segment carries its label and bytes as
 * text (clipped when narrow, always read out) and as a tooltip.
 */
export function MemoryBars({ bars, modelLabel }: { bars: (MemoryBar | MissingBar)[]; modelLabel: string }) {
  const longest = Math.max(...bars.map((b) => (isMissing(b) ? 0 : b.total)));
  return (
    <figure className="mem-figure" data-testid="mem-bars">
      <figcaption>
        Training state of <strong>{modelLabel}</strong>, drawn to one scale (the longest bar is {formatBytes(longest)};
        1 GB = 10<sup>9</sup> bytes).
      </figcaption>
      <ul className="mem-legend" aria-label="Legend">
        {KINDS.map((k) => (
          <li key={k} className="legend-item">
            <span className={`mem-swatch mem-seg-${k}`} aria-hidden="true" />
            {SEGMENT_LEGEND[k]}
          </li>
        ))}
        <li className="legend-item">
          <span className="mem-swatch mem-seg-weights mem-half" aria-hidden="true" />
          hatched: 2-byte FP16
        </li>
      </ul>
      <ol className="mem-bar-list">
        {bars.map((bar) =>
          isMissing(bar) ? (
            <li key={bar.id} className="mem-bar-row" data-testid={`bar-${bar.id}`}>
              <span className="mem-bar-title">{bar.title}</span>
              <span className="mem-bar-missing">{bar.missing}</span>
              <span className="mem-bar-total" data-testid={`mem-total-${bar.id}`}>
                –
              </span>
            </li>
          ) : (
            <li key={bar.id} className="mem-bar-row" data-testid={`bar-${bar.id}`}>
              <span className="mem-bar-title">{bar.title}</span>
              <span className="mem-bar-track">
                {bar.segments.map((s) => (
                  <span
                    key={s.kind}
                    className={`mem-seg mem-seg-${s.kind}${s.label.includes('FP16') ? ' mem-half' : ''}`}
                    style={{ width: `${100 * s.share}%` }}
                    title={`${s.label}: ${formatBytes(s.bytes)}`}
                  >
                    <span className={s.share >= MIN_LABEL_SHARE ? 'mem-seg-label' : 'visually-hidden'}>
                      {s.label} {formatBytes(s.bytes)}
                    </span>
                  </span>
                ))}
              </span>
              <span className="mem-bar-total" data-testid={`mem-total-${bar.id}`} data-value={bar.total}>
                {formatBytes(bar.total)}
                <span className="muted">
                  {' '}
                  · {Number.isInteger(bar.bytesPerParameter) ? '' : '≈ '}
                  {formatMultiple(bar.bytesPerParameter)} B/param
                </span>
              </span>
            </li>
          ),
        )}
      </ol>
    </figure>
  );
}

/** The same numbers exactly, for checking by hand. */
export function ExactBytes({ bars }: { bars: (MemoryBar | MissingBar)[] }) {
  const bytesOf = (bar: MemoryBar, kind: SegmentKind) => bar.segments.find((s) => s.kind === kind)?.bytes ?? 0;
  return (
    <details className="mem-exact">
      <summary>Exact bytes</summary>
      <ScrollRegion>
        <table className="stats-table">
          <thead>
            <tr>
              <th scope="col">optimiser</th>
              <th scope="col">precision</th>
              {KINDS.map((k) => (
                <th scope="col" key={k}>
                  {SEGMENT_LEGEND[k]}
                </th>
              ))}
              <th scope="col">total</th>
              <th scope="col">bytes / param</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={barId(bar.optimizer, bar.precision)}>
                <th scope="row">{OPTIMIZER_LABEL[bar.optimizer]}</th>
                <td>{PRECISION_LABEL[bar.precision]}</td>
                {isMissing(bar) ? (
                  <td colSpan={KINDS.length + 2} className="muted">
                    needs the matrix shapes
                  </td>
                ) : (
                  <>
                    {KINDS.map((k) => (
                      <td key={k} className="mem-num">
                        {formatExact(bytesOf(bar, k))}
                      </td>
                    ))}
                    <td className="mem-num">{formatExact(bar.total)}</td>
                    <td className="mem-num">{formatMultiple(bar.bytesPerParameter)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </details>
  );
}
