// Downloads and sharing, the pure part: a trainer's runs as CSV (one row per
// measured value), its run spec as a config file, the link that replays it,
// and the files' names. No DOM, no React: tested in Node.
import type { ArmMetrics, EvalPoint, StepPoint } from '../train/contract';
import type { RunRecord } from './runRecord';

/** The config file's format; bump the version when a field changes meaning. */
export const CONFIG_FORMAT = 'llm-notebook-run';
export const CONFIG_VERSION = 1;

export const CSV_COLUMNS = ['step', 'run', 'arm', 'metric', 'value'] as const;

/** Query keys that belong to the app, not to a run (presenter mode): a shared link leaves them out. */
const APP_KEYS = ['present'];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, quotes doubled. A text field that a spreadsheet would read as a
 * formula (=, +, -, @ first) gets a leading apostrophe, so opening the file
 * never runs a label as a formula.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A numeric field of a StepPoint that is not the step itself (tracked and arms are handled apart). */
const STEP_FIELDS = ['loss', 'lr', 'gradNorm', 'tokensSeen', 'tokensPerSecond', 'stepMs'] as const;

interface Row {
  step: number;
  run: string;
  arm: string;
  metric: string;
  value: number;
}

/**
 * A value is written when it was measured: NaN is how the engine marks an arm
 * that was dropped after diverging (its curve ends), so it is left out;
 * ±Infinity is a measured blow-up and is kept.
 */
const measured = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

function armRows(
  out: Row[],
  base: Omit<Row, 'arm' | 'metric' | 'value'>,
  prefix: string,
  arms: readonly ArmMetrics[] | undefined,
  labels: readonly string[],
) {
  arms?.forEach((metrics, a) => {
    const arm = labels[a] ?? `arm ${a + 1}`;
    for (const [key, value] of Object.entries(metrics))
      if (measured(value)) out.push({ ...base, arm, metric: `${prefix}.${key}`, value });
  });
}

/**
 * Every value a run measured, one row each. The trainer's own numbers (a
 * StepPoint's loss, lr, gradNorm: the reference arm's; tokens seen,
 * throughput and step time: the whole run's) have an empty `arm`, and are
 * named `train.<field>`, the held-out loss `heldout.loss`. Each arm's metrics
 * carry its label: `train.<key>` (total, gradNorm, lr, tokens, mlm, nsp, …) and
 * `heldout.<key>`. Tracked optimiser elements are `train.track.<name>.<g|m|v>`.
 */
export function recordRows(record: RunRecord): Row[] {
  const out: Row[] = [];
  const run = record.label;
  const trackNames = record.spec?.task === 'gpt' ? (record.spec.track?.map((t) => t.name) ?? []) : [];
  for (const p of record.points as readonly StepPoint[]) {
    const base = { step: p.step, run };
    for (const f of STEP_FIELDS) if (measured(p[f])) out.push({ ...base, arm: '', metric: `train.${f}`, value: p[f] });
    p.tracked?.forEach((t, i) => {
      const name = trackNames[i] ?? `element${i}`;
      for (const k of ['g', 'm', 'v'] as const)
        if (measured(t[k])) out.push({ ...base, arm: '', metric: `train.track.${name}.${k}`, value: t[k] });
    });
    armRows(out, base, 'train', p.arms, record.armLabels);
  }
  for (const e of record.evals as readonly EvalPoint[]) {
    const base = { step: e.step, run };
    if (measured(e.heldOutLoss)) out.push({ ...base, arm: '', metric: 'heldout.loss', value: e.heldOutLoss });
    armRows(out, base, 'heldout', e.arms, record.armLabels);
  }
  return out;
}

/** The CSV of `records` (the current run first, then the pinned ones): a header and one CRLF-ended line per value. */
export function runsCsv(records: readonly RunRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records)
    for (const row of recordRows(r)) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/**
 * The hash link that replays a run: the page's route and query as they are,
 * without the app's own keys, and with the seed written out (a default seed is
 * not in the query, and a later default could differ).
 */
export function replayHash(hash: string, seedKey: string, seed: number): string {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : body.slice(q + 1));
  for (const k of APP_KEYS) query.delete(k);
  query.set(seedKey, String(seed));
  return `#${path}?${query.toString()}`;
}

/** The full address of a hash link on this deployment: `base` is the page's address, its own hash dropped. */
export function absoluteLink(hash: string, base: string): string {
  const url = new URL(base);
  url.hash = '';
  return `${url.toString().replace(/#$/, '')}${hash}`;
}

/** The page's id in file names and the config: the last segment of its route ('#/objectives/decoder-only' → 'decoder-only'). */
export function pageIdOf(hash: string): string {
  const path = hash.replace(/^#/, '').split('?')[0];
  return path.split('/').filter(Boolean).at(-1) ?? 'notebook';
}

/** Lower-case words joined by hyphens, safe in a file name on every system; at most `max` characters. */
export function slug(text: string, max = 32): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '');
}

/** A download's name: 'decoder-only-tiny-gpt-seed7-step120.csv' (the trainer's title tells apart several on a page). */
export function exportFileName(args: {
  page: string;
  trainer: string;
  seed: number;
  step: number;
  ext: string;
}): string {
  const parts = [slug(args.page), slug(args.trainer), `seed${args.seed}`, `step${args.step}`].filter(Boolean);
  return `${parts.join('-')}.${args.ext}`;
}

/** What "Download config" writes: enough to see, and to replay, what the worker trained. */
export interface RunConfigFile {
  format: typeof CONFIG_FORMAT;
  version: typeof CONFIG_VERSION;
  page: string;
  trainer: string;
  /** The address that replays the run in this notebook. */
  link: string;
  /** The last step trained when the file was written (0: not trained yet). */
  steps: number;
  armLabels: readonly string[];
  /** The run spec the worker trains (src/train/contract/run.ts). */
  run: RunRecord['spec'];
  /** Pinned runs beside it, each with its own spec and link. */
  pinned: { label: string; link: string; run: RunRecord['spec'] }[];
}

export function runConfig(args: {
  current: RunRecord;
  pinned?: readonly RunRecord[];
  page: string;
  trainer: string;
  /** The absolute address that replays the current run. */
  link: string;
  /** A pinned run's address, from its record (default: its hash link as it is). */
  address?: (run: RunRecord) => string;
}): RunConfigFile {
  const address = args.address ?? ((r: RunRecord) => r.link);
  return {
    format: CONFIG_FORMAT,
    version: CONFIG_VERSION,
    page: args.page,
    trainer: args.trainer,
    link: args.link,
    steps: args.current.points.at(-1)?.step ?? 0,
    armLabels: args.current.armLabels,
    run: args.current.spec,
    pinned: (args.pinned ?? []).map((p) => ({ label: p.label, link: address(p), run: p.spec })),
  };
}

/** The config as the file holds it: two-space JSON and a final newline. */
export function runConfigJson(config: RunConfigFile): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
