// Run history, the pure part: what a pinned run keeps (a compact RunRecord),
// how it is named against the current settings ("lr 0.01 → 0.003"), and the
// cap on how many a trainer keeps. No DOM, no React: tested in Node.
import type { ParamSpec } from '../core/params';
import type { EvalPoint, StepPoint } from '../train/contract';
import type { RunRecord } from './runRecord';

/** Most runs a trainer keeps pinned; pinning one more drops the oldest. */
export const MAX_PINNED = 5;

/** Most training points a pinned run keeps per arm (its evaluations are all kept). */
export const MAX_PINNED_POINTS = 500;

/** Query keys that belong to the app, not to a run (presenter mode), never named in a label. */
const APP_KEYS = new Set(['present']);

/** A finished or stopped run kept beside the current one. */
export interface PinnedRun extends RunRecord {
  /** The page's query when the run was replaced (its settings), e.g. 'lr=0.01&seed=2'. */
  query: string;
  /** When it was pinned (ms since the epoch), for the list's order and its title. */
  pinnedAt: number;
  /** The last step it trained. */
  steps: number;
}

/**
 * At most `max` points, picked at an even stride from a series that may be
 * long (every step of a long run), the first and the last always kept. The
 * kept points are measured ones, not means, so a CSV of a pinned run lists
 * values the worker reported.
 */
export function downsample<T>(points: readonly T[], max = MAX_PINNED_POINTS): T[] {
  if (points.length <= max) return points.slice();
  if (max <= 1) return points.slice(-1);
  const out: T[] = [];
  // max - 1 gaps between max picks spread over the indices 0 … n-1.
  const stride = (points.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(points[Math.round(k * stride)]);
  return out;
}

/** Most characters of inline text (a custom corpus) a pinned run's spec may carry; a larger one is not kept. */
export const MAX_PINNED_TEXT = 64_000;

/**
 * The spec a pinned run keeps: the run's own, unless its data is inline text
 * longer than MAX_PINNED_TEXT (a custom corpus can be 2 MB, five times over
 * per trainer); that run keeps its curves and link, and no spec.
 */
export function pinnedSpec(spec: RunRecord['spec'] | undefined): RunRecord['spec'] {
  if (!spec) return null;
  if (spec.data.kind === 'text' && spec.data.train.length + spec.data.heldOut.length > MAX_PINNED_TEXT) return null;
  return spec;
}

/** A step point without what only the live views read (tracked optimiser elements): the numbers a curve or CSV needs. */
function compactPoint(p: StepPoint): StepPoint {
  const { tracked: _tracked, ...rest } = p;
  return rest;
}

/**
 * The record a trainer keeps of a run it replaced: its training points
 * downsampled to MAX_PINNED_POINTS (they carry every arm at each step, so
 * that is per arm), every evaluation, its settings and when it was pinned.
 */
export function pinRecord(args: {
  id: string;
  label: string;
  armLabels: readonly string[];
  points: readonly StepPoint[];
  evals: readonly EvalPoint[];
  link: string;
  query: string;
  pinnedAt: number;
  spec?: RunRecord['spec'];
}): PinnedRun {
  return {
    id: args.id,
    label: args.label,
    armLabels: [...args.armLabels],
    points: downsample(args.points).map(compactPoint),
    evals: args.evals.slice(),
    spec: pinnedSpec(args.spec),
    link: args.link,
    query: args.query,
    pinnedAt: args.pinnedAt,
    steps: args.points.at(-1)?.step ?? 0,
  };
}

/** The list after pinning `run`: oldest first, at most `max`, the oldest dropped. */
export function withPinned(list: readonly PinnedRun[], run: PinnedRun, max = MAX_PINNED): PinnedRun[] {
  return [...list, run].slice(-max);
}

/** A number as a person would type it: no float noise (0.30000000000000004 → 0.3). */
function showValue(raw: string): string {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? String(Number(n.toPrecision(6))) : raw;
}

export interface SettingChange {
  /** The field's label where the page's table is known, else its URL key. */
  name: string;
  /** The pinned run's value and the current one ('default' where a key is absent and no table gives it). */
  from: string;
  to: string;
}

/**
 * The settings that differ between two queries (a pinned run's and the
 * current one). Given the page's table, only its fields count, in its order,
 * with their labels, and a key absent from a query (a default is not written
 * to the URL) reads as that field's default; without it, every key but the
 * app's own counts, sorted, and an absent one reads 'default'.
 */
export function settingChanges(pinned: string, current: string, params?: readonly ParamSpec[]): SettingChange[] {
  const a = new URLSearchParams(pinned);
  const b = new URLSearchParams(current);
  if (params && params.length > 0) {
    const out: SettingChange[] = [];
    for (const spec of params) {
      const from = a.get(spec.key) ?? String(spec.default);
      const to = b.get(spec.key) ?? String(spec.default);
      if (showValue(from) !== showValue(to))
        out.push({ name: spec.label, from: optionText(spec, from), to: optionText(spec, to) });
    }
    return out;
  }
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => !APP_KEYS.has(k)).sort();
  const out: SettingChange[] = [];
  for (const key of keys) {
    const from = a.get(key);
    const to = b.get(key);
    const shownFrom = from === null ? 'default' : showValue(from);
    const shownTo = to === null ? 'default' : showValue(to);
    if (shownFrom !== shownTo) out.push({ name: key, from: shownFrom, to: shownTo });
  }
  return out;
}

function optionText(spec: ParamSpec, raw: string): string {
  if (spec.kind === 'enum') return spec.optionLabels?.[raw] ?? raw;
  return showValue(raw);
}

/**
 * A pinned run's name: what differed from the current settings, pinned value
 * first ("lr 0.01 → 0.003"), at most `most` changes named and the rest
 * counted; "same settings" when nothing did (a Reset).
 */
export function diffLabel(pinned: string, current: string, params?: readonly ParamSpec[], most = 3): string {
  const changes = settingChanges(pinned, current, params);
  if (changes.length === 0) return 'same settings';
  const named = changes.slice(0, most).map((c) => `${c.name} ${c.from} → ${c.to}`);
  const more = changes.length - named.length;
  return more > 0 ? `${named.join(', ')} (+${more} more)` : named.join(', ');
}

/**
 * The pinned runs named against the current settings; two with the same name
 * (two Resets of one setting) are told apart by a count, "same settings (2)",
 * the oldest keeping the plain name.
 */
export function labelPinned(list: readonly PinnedRun[], current: string, params?: readonly ParamSpec[]): PinnedRun[] {
  const seen = new Map<string, number>();
  return list.map((run) => {
    const base = diffLabel(run.query, current, params);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const label = n === 1 ? base : `${base} (${n})`;
    return label === run.label ? run : { ...run, label };
  });
}

/** The query of a hash link ('#/decoder-only?lr=0.01' → 'lr=0.01'). */
export function queryOf(hash: string): string {
  const q = hash.indexOf('?');
  return q === -1 ? '' : hash.slice(q + 1);
}

/** The route of a hash link ('#/decoder-only?lr=0.01' → '/decoder-only'). */
export function pathOf(hash: string): string {
  const body = hash.replace(/^#/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  return path === '' ? '/' : path.startsWith('/') ? path : `/${path}`;
}

/** Whether a stored value is a list of pinned runs this code can draw (storage may hold an older or foreign shape). */
export function isPinnedList(value: unknown): value is PinnedRun[] {
  return (
    Array.isArray(value) &&
    value.every(
      (r) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as PinnedRun).id === 'string' &&
        typeof (r as PinnedRun).query === 'string' &&
        Array.isArray((r as PinnedRun).points) &&
        Array.isArray((r as PinnedRun).evals) &&
        Array.isArray((r as PinnedRun).armLabels),
    )
  );
}
