// Run history, the React part: a trainer's pinned runs kept in storage
// (usePinnedRuns), the card's watch for a run being replaced (useRunHistory),
// the context that hands both to whatever the card holds, and the overlay a
// chart draws from them (usePinnedOverlay).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ParamSpec } from '../core/params';
import type { EvalPoint, RunSpec, StepPoint } from '../train/contract';
import type { TrainerState } from '../train/client/useTrainer';
import type { Series } from './chartModel';
import { useLocationHash } from './locationHash';
import type { PinnedOverlay } from './PinnedRuns';
import { pinnedStore, type KeyValueStore } from './pinnedStore';
import {
  isPinnedList,
  labelPinned,
  MAX_PINNED,
  pathOf,
  pinRecord,
  queryOf,
  withPinned,
  type PinnedRun,
} from './runHistory';

export interface PinnedRunsApi {
  /** Oldest first, at most MAX_PINNED, each labelled against the current settings. */
  pinned: readonly PinnedRun[];
  pin(run: PinnedRun): void;
  remove(id: string): void;
  clear(): void;
}

/**
 * The pinned runs stored under `key` (one page's one trainer): read once when
 * the key is first used, written after every change. Runs pinned before the
 * stored ones arrive are kept after them.
 */
export function usePinnedRuns(key: string, store: KeyValueStore = pinnedStore()): PinnedRunsApi {
  const [state, setState] = useState<{ key: string; list: PinnedRun[]; loaded: boolean }>({
    key,
    list: [],
    loaded: false,
  });
  // A change made here, not yet written (so what was just read is not written back).
  const dirty = useRef(false);
  if (state.key !== key) setState({ key, list: [], loaded: false });

  useEffect(() => {
    let alive = true;
    dirty.current = false;
    store.get(key).then((stored) => {
      if (!alive) return;
      const saved = isPinnedList(stored) ? stored : [];
      setState((s) => {
        if (s.key !== key) return s;
        // Pins made while reading go after the stored ones, and must be written.
        if (s.list.length > 0) dirty.current = true;
        return { key, list: [...saved, ...s.list].slice(-MAX_PINNED), loaded: true };
      });
    });
    return () => {
      alive = false;
    };
  }, [key, store]);

  useEffect(() => {
    if (!state.loaded || !dirty.current) return;
    dirty.current = false;
    void store.set(state.key, state.list);
  }, [state, store]);

  const pin = useCallback((run: PinnedRun) => {
    dirty.current = true;
    setState((s) => ({ ...s, list: withPinned(s.list, run) }));
  }, []);
  const remove = useCallback((id: string) => {
    dirty.current = true;
    setState((s) => ({ ...s, list: s.list.filter((r) => r.id !== id) }));
  }, []);
  const clear = useCallback(() => {
    dirty.current = true;
    setState((s) => ({ ...s, list: [] }));
  }, []);
  return { pinned: state.list, pin, remove, clear };
}

/** The trainer card's pinned runs, and how a chart in it tells the card the names of the arms it draws. */
export interface RunHistory extends PinnedRunsApi {
  reportArms(labels: readonly string[]): void;
}

/**
 * Provided by every TrainerCard around its contents: its pinned runs (RunRecords
 * plus their settings) and pin/remove/clear. Null outside a trainer card.
 */
export const PinnedRunsContext = createContext<RunHistory | null>(null);

/** The pinned runs of the trainer card this is rendered in (null outside one). */
export function usePinnedRunsContext(): RunHistory | null {
  return useContext(PinnedRunsContext);
}

let pinCount = 0;

/** What the card remembers of the run on screen, to pin it when it is replaced. */
interface LiveRun {
  generation: number;
  points: readonly StepPoint[];
  evals: readonly EvalPoint[];
  link: string;
  armLabels: readonly string[];
  spec: RunSpec | null;
}

/**
 * The trainer card's run history. A run that trained at least one step and is
 * replaced (a setting changed, Reset, another backend) is pinned, with the
 * link and arm names it had while it trained; the list is stored per page
 * route and card title, and labelled against the page's current query (with
 * `params`, the page's table: its field labels and defaults).
 */
export function useRunHistory(
  state: Pick<TrainerState, 'generation' | 'points' | 'evals'>,
  title: string,
  params?: readonly ParamSpec[],
  run: RunSpec | null = null,
): RunHistory {
  const hash = useLocationHash();
  const api = usePinnedRuns(`${pathOf(hash)}|${title}`);
  const arms = useRef<readonly string[]>([]);
  // Whether a chart in the card draws pinned runs (usePinnedOverlay): a card without one keeps no history.
  const charted = useRef(false);
  const live = useRef<LiveRun | null>(null);
  const { pin } = api;
  const { generation, points, evals } = state;
  // The spec as it is while the run trains (read in the effect below, not a dependency: it changes before the run does).
  const spec = useRef(run);
  spec.current = run;

  useEffect(() => {
    const was = live.current;
    if (charted.current && was && was.points.length > 0 && (generation !== was.generation || points.length === 0)) {
      // The run on screen was replaced: keep it.
      live.current = null;
      // The arms as the card's chart named them, else as the run spec does, else numbered.
      const n = was.points[0].arms?.length ?? 1;
      const fromSpec = was.spec?.arms.map((a) => a.label) ?? [];
      const armLabels =
        was.armLabels.length === n
          ? was.armLabels
          : fromSpec.length === n
            ? fromSpec
            : n === 1
              ? [title]
              : Array.from({ length: n }, (_, a) => `arm ${a + 1}`);
      pin(
        pinRecord({
          id: `${Date.now().toString(36)}-${++pinCount}`,
          label: '',
          armLabels,
          points: was.points,
          evals: was.evals,
          link: was.link,
          query: queryOf(was.link),
          pinnedAt: Date.now(),
          spec: was.spec,
        }),
      );
    }
    // The link and arm names as they are while this run trains (the URL changes before the run is replaced).
    if (points.length > 0)
      live.current = {
        generation,
        points,
        evals,
        link: window.location.hash,
        armLabels: arms.current,
        spec: spec.current,
      };
  }, [generation, points, evals, pin, title]);

  const query = queryOf(hash);
  const pinned = useMemo(() => labelPinned(api.pinned, query, params), [api.pinned, query, params]);
  const reportArms = useCallback((labels: readonly string[]) => {
    charted.current = true;
    arms.current = labels;
  }, []);
  return useMemo(
    () => ({ pinned, pin, remove: api.remove, clear: api.clear, reportArms }),
    [pinned, pin, api.remove, api.clear, reportArms],
  );
}

/** Builds a chart's series from one run's numbers; called for the run on screen and for each pinned one, same keys. */
export type CurveBuilder = (
  points: readonly StepPoint[],
  evals: readonly EvalPoint[],
  armLabels: readonly string[],
) => Series[];

/**
 * The pinned runs of the enclosing trainer card as a chart overlay: each
 * pinned run's series built by `build` (the same function the chart's own
 * series come from, so keys match), for MetricChart's `pinned`. `armLabels`
 * are the arms of the run on screen, remembered with it when it is pinned.
 * Undefined outside a trainer card. `build` must be stable (module level or
 * useCallback).
 */
export function usePinnedOverlay(build: CurveBuilder, armLabels: readonly string[]): PinnedOverlay | undefined {
  const ctx = useContext(PinnedRunsContext);
  const report = ctx?.reportArms;
  useEffect(() => report?.(armLabels), [report, armLabels]);
  const pinned = ctx?.pinned;
  const remove = ctx?.remove;
  const clear = ctx?.clear;
  return useMemo(
    () =>
      pinned && remove && clear
        ? {
            runs: pinned.map((r) => ({
              id: r.id,
              label: r.label,
              steps: r.steps,
              pinnedAt: r.pinnedAt,
              series: build(r.points, r.evals, r.armLabels),
            })),
            onRemove: remove,
            onClear: clear,
          }
        : undefined,
    [pinned, remove, clear, build],
  );
}
