// Pinned runs on a chart: the series drawn for them (lighter, thinner, in the
// pinned run's own dash pattern, under the current run's lines), and their
// legend under the chart: one entry per run, which shows or hides it, a
// button that removes it, and one that clears them all.
import { useRef } from 'react';
import { Swatch } from './ChartLegend';
import type { Series } from './chartModel';

/** What MetricChart is handed for the pinned runs of its trainer (usePinnedOverlay). */
export interface PinnedOverlay {
  /** Oldest first; each run's series have the keys of the chart's own series. */
  runs: readonly { id: string; label: string; steps: number; pinnedAt: number; series: readonly Series[] }[];
  onRemove(id: string): void;
  onClear(): void;
}

/**
 * The dash of pinned run i (oldest first). Short dashes with wide gaps, none
 * an arm's pattern (series.ts), so a pinned line reads as a trace of an
 * earlier run. Within a pinned race, the arms keep their colours.
 */
export const PINNED_DASHES = ['5 5', '1 4', '10 4 1 4', '3 7', '12 6'];
/** How much of a pinned line shows through: lighter than any current line, even a faint one (0.45 at width 1.5). */
export const PINNED_OPACITY = 0.6;

export function pinnedDash(i: number): string {
  return PINNED_DASHES[((i % PINNED_DASHES.length) + PINNED_DASHES.length) % PINNED_DASHES.length];
}

/**
 * The pinned lines to draw: for each pinned run the reader has not hidden,
 * its series whose key is drawn now for the current run (hiding "held out"
 * hides it for the pinned runs too, so five pinned races stay readable),
 * named "<run>: <series>" (MetricChart buckets them like its own).
 */
export function pinnedLines(
  overlay: PinnedOverlay | undefined,
  shown: ReadonlySet<string>,
  hidden: ReadonlySet<string>,
): Series[] {
  if (!overlay) return [];
  return overlay.runs.flatMap((run, i) =>
    hidden.has(run.id)
      ? []
      : run.series
          .filter((s) => shown.has(s.key))
          .map((s) => ({
            key: `pin:${run.id}:${s.key}`,
            label: `${run.label}: ${s.label}`,
            color: s.color,
            dash: pinnedDash(i),
            dots: s.dots,
            points: s.points.filter((p) => Number.isFinite(p.value)),
          })),
  );
}

function when(ms: number): string {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toLocaleString() : '';
}

/**
 * Where focus goes when the pinned legend empties: the last button of the
 * chart's own legend, else the chart itself (made focusable from script only).
 */
function chartFocus(inside: HTMLElement | null): HTMLElement | null {
  const figure = inside?.closest('figure') ?? null;
  const own = figure?.querySelectorAll<HTMLButtonElement>('button.legend-toggle:not(.pinned-toggle)');
  const last = own && own.length > 0 ? own[own.length - 1] : null;
  if (last) return last;
  if (figure && !figure.hasAttribute('tabindex')) figure.tabIndex = -1;
  return figure;
}

/** The pinned runs' legend: show/hide by run, remove one (focus moves to a neighbour's remove button), clear all (focus moves to the chart's legend). */
export function PinnedLegend({
  overlay,
  hidden,
  onToggle,
}: {
  overlay: PinnedOverlay;
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  const remove = (id: string, i: number) => {
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button.pinned-remove');
    const next = buttons?.[i + 1] ?? buttons?.[i - 1] ?? chartFocus(list.current);
    overlay.onRemove(id);
    next?.focus();
  };
  // The legend goes away with the last pinned run: focus stays on the chart, not lost to the page.
  const clear = () => {
    const next = chartFocus(list.current);
    overlay.onClear();
    next?.focus();
  };
  return (
    <div className="pinned-runs" data-testid="pinned-runs" role="group" aria-label="Pinned runs">
      <p className="pinned-runs-title">
        Pinned runs <span className="muted">(lighter, dashed; named by what differs from the settings now)</span>
      </p>
      <ul ref={list}>
        {overlay.runs.map((run, i) => {
          const on = !hidden.has(run.id);
          const color = run.series[0]?.color ?? 'var(--muted)';
          return (
            <li key={run.id} data-testid="pinned-run" data-run={run.id}>
              <button
                type="button"
                className={`legend-toggle pinned-toggle${on ? '' : ' legend-off'}`}
                aria-pressed={on}
                title={`${on ? 'Hide' : 'Show'} the run pinned ${when(run.pinnedAt)}`}
                onClick={() => onToggle(run.id)}
              >
                <Swatch color={color} dash={pinnedDash(i)} />
                <span data-testid="pinned-label">{run.label}</span>
              </button>
              <span className="muted"> {run.steps} steps </span>
              <button
                type="button"
                className="pinned-remove"
                aria-label={`Remove pinned run ${run.label}`}
                title="Remove this pinned run"
                onClick={() => remove(run.id, i)}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" className="pinned-clear" onClick={clear}>
        Clear pinned runs
      </button>
    </div>
  );
}
