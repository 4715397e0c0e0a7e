// The trainer card's row of downloads and sharing: the chart as PNG or SVG,
// every measured value as CSV, the run spec as a config file, and the link
// that replays the run. What the files hold is built in runExport.ts.
import { useEffect, useId, useRef, useState } from 'react';
import { chartPng, chartSvg } from './chartImage';
import type { RunRecord } from './runRecord';
import { absoluteLink, exportFileName, pageIdOf, replayHash, runConfig, runConfigJson, runsCsv } from './runExport';
import './runDownloads.css';

/** Saves `blob` as `name` through a temporary link (every browser's way to start a download from a page). */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

type Status = { kind: 'ok' | 'error'; text: string } | null;

export function RunDownloads({
  current,
  pinned = [],
  title,
  seedKey = 'seed',
  chart,
}: {
  /** The run on screen (its `link` is ignored: it is read from the address when asked for). */
  current: RunRecord;
  /** Finished runs kept beside it; the CSV and the config include them. */
  pinned?: readonly RunRecord[];
  /** The trainer's title: it tells apart the files of several trainers on one page. */
  title: string;
  /** The query key of this run's seed (most pages 'seed'). */
  seedKey?: string;
  /** The chart the images show: the card's main figure, found when asked for. */
  chart: () => HTMLElement | null;
}) {
  const [status, setStatus] = useState<Status>(null);
  const [fallback, setFallback] = useState<string | null>(null);
  const fallbackRef = useRef<HTMLInputElement>(null);
  const reasonId = useId();
  const fallbackId = useId();
  const spec = current.spec;
  const hasData = current.points.length > 0 || current.evals.length > 0 || pinned.length > 0;
  const dataReason = hasData ? null : 'Nothing measured yet: the downloads start with the first evaluation.';
  const specReason = spec ? null : 'No run to share while a hyperparameter is invalid.';
  // Whether the card shows a chart to draw, looked up again as data arrives (a chart may mount later, or never).
  const [hasChart, setHasChart] = useState(true);
  useEffect(() => {
    const found = chart() !== null;
    if (found !== hasChart) setHasChart(found);
  }, [chart, hasChart, current.points, current.evals, pinned]);
  const chartReason = hasChart ? null : 'This trainer has no chart to draw.';
  const reason = dataReason ?? specReason ?? chartReason;

  // Read when asked: the address bar holds the page's settings as they are now.
  const hash = () => replayHash(window.location.hash, seedKey, spec?.seed ?? 0);
  const link = () => absoluteLink(hash(), window.location.href);
  const name = (ext: string) =>
    exportFileName({
      page: pageIdOf(window.location.hash),
      trainer: title,
      seed: spec?.seed ?? 0,
      step: current.points.at(-1)?.step ?? 0,
      ext,
    });

  const guard = async (what: string, work: () => Promise<void> | void) => {
    setStatus(null);
    try {
      await work();
    } catch (err) {
      setStatus({ kind: 'error', text: `${what} failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
  const figure = () => {
    const el = chart();
    if (!el) throw new Error('the chart is not on the page');
    return el;
  };
  const png = () => guard('The PNG', async () => save(await chartPng(figure()), name('png')));
  const svg = () =>
    guard('The SVG', () => save(new Blob([chartSvg(figure())], { type: 'image/svg+xml' }), name('svg')));
  const csv = () =>
    guard('The CSV', () => save(new Blob([runsCsv([current, ...pinned])], { type: 'text/csv' }), name('csv')));
  const config = () =>
    guard('The config', () => {
      const file = runConfig({
        current,
        pinned,
        page: pageIdOf(window.location.hash),
        trainer: title,
        link: link(),
        // A pinned run's link is the address bar as it was while it trained: its seed written out, presenter mode left out.
        address: (r) => absoluteLink(r.spec ? replayHash(r.link, seedKey, r.spec.seed) : r.link, window.location.href),
      });
      save(new Blob([runConfigJson(file)], { type: 'application/json' }), name('json'));
    });
  const copy = async () => {
    const url = link();
    setStatus(null);
    setFallback(null);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setStatus({ kind: 'ok', text: 'Copied' });
    } catch {
      // No clipboard (an insecure origin, a refused permission): the link to copy by hand, selected.
      setFallback(url);
      setStatus({ kind: 'ok', text: 'The browser kept the clipboard closed: copy the link below.' });
      requestAnimationFrame(() => fallbackRef.current?.select());
    }
  };

  const describedBy = reason ? reasonId : undefined;
  const button = (label: string, onClick: () => void, disabled: boolean, testId: string) => (
    <button type="button" onClick={onClick} disabled={disabled} aria-describedby={describedBy} data-testid={testId}>
      <span className="visually-hidden">Download </span>
      {label}
    </button>
  );
  return (
    <div className="run-downloads" data-testid="run-downloads">
      <div className="run-downloads-row" role="group" aria-label="Download or share this run">
        <span className="run-downloads-label" aria-hidden="true">
          Download
        </span>
        {button('PNG', png, !hasData || !hasChart, 'download-png')}
        {button('SVG', svg, !hasData || !hasChart, 'download-svg')}
        {button('CSV', csv, !hasData, 'download-csv')}
        {button('config', config, !spec, 'download-config')}
        <button type="button" onClick={copy} disabled={!spec} aria-describedby={describedBy} data-testid="copy-link">
          Copy link
        </button>
        <span role="status" className={`run-downloads-status${status?.kind === 'error' ? ' field-error' : ''}`}>
          {status?.text}
        </span>
      </div>
      {reason && (
        <p className="muted run-downloads-reason" id={reasonId}>
          {reason}
        </p>
      )}
      {fallback !== null && (
        <div className="run-downloads-fallback">
          <label htmlFor={fallbackId}>Link to this run</label>
          <input id={fallbackId} ref={fallbackRef} type="text" readOnly value={fallback} data-testid="copy-link-text" />
        </div>
      )}
    </div>
  );
}
