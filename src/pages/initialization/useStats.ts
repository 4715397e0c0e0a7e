// Runs one init-statistics request at a time in this hook's own worker. A new
// request while one is running terminates that worker (its answer is no longer
// wanted), so typing through depths never queues up work. Answers are cached
// for the session: everything is seeded, so equal requests give equal answers.
import { startTransition, useEffect, useRef, useState } from 'react';
import { answer, requestKey, type StatsRequest, type StatsResult } from './stats';
import type { StatsReply } from './stats.worker';

const CACHE_SIZE = 24;
const cache = new Map<string, StatsResult>();

function remember(key: string, result: StatsResult) {
  cache.delete(key);
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

export interface StatsState {
  /** The latest answer (possibly for an older request while a newer one runs). */
  result: StatsResult | null;
  /** The request key `result` answers. */
  key: string | null;
  busy: boolean;
  error: string | null;
}

export function useStats(req: StatsRequest | null): StatsState {
  const key = req ? requestKey(req) : null;
  const [state, setState] = useState<StatsState>(() => {
    const hit = key ? cache.get(key) : undefined;
    return { result: hit ?? null, key: hit ? key : null, busy: false, error: null };
  });
  const worker = useRef<Worker | null>(null);
  const busy = useRef(false);
  const nextId = useRef(0);
  const reqRef = useRef(req);
  reqRef.current = req;

  useEffect(() => {
    const current = reqRef.current;
    if (key === null || current === null) return;
    const hit = cache.get(key);
    if (hit) {
      setState({ result: hit, key, busy: false, error: null });
      return;
    }
    setState((s) => ({ ...s, busy: true, error: null }));
    let cancelled = false;
    const done = (reply: StatsReply) => {
      busy.current = false; // one request per worker at a time: any reply means it is idle
      if (cancelled) return;
      if (reply.ok) {
        remember(key, reply.result);
        // A transition: React may split redrawing the charts into slices that yield to input.
        startTransition(() => setState({ result: reply.result, key, busy: false, error: null }));
      } else setState((s) => ({ ...s, busy: false, error: reply.error }));
    };
    if (typeof Worker === 'undefined') {
      // No workers (a test environment): compute after this render.
      const t = setTimeout(() => {
        try {
          done({ id: 0, ok: true, result: answer(current) });
        } catch (err) {
          done({ id: 0, ok: false, error: String(err) });
        }
      });
      return () => {
        cancelled = true;
        clearTimeout(t);
      };
    }
    if (worker.current && busy.current) {
      worker.current.terminate();
      worker.current = null;
    }
    if (!worker.current)
      worker.current = new Worker(new URL('./stats.worker.ts', import.meta.url), {
        type: 'module',
        name: 'init-stats',
      });
    const id = ++nextId.current;
    const w = worker.current;
    w.onmessage = (e: MessageEvent<StatsReply>) => e.data.id === id && done(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      done({ id, ok: false, error: e.message || 'the statistics worker failed' });
    };
    busy.current = true;
    w.postMessage({ id, req: current });
    return () => {
      cancelled = true;
    };
  }, [key]);

  useEffect(
    () => () => {
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );
  return state;
}
