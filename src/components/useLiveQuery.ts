// Keeps a view of the model (a sample, token scores) up to date without
// flooding the worker: one request in flight at a time, the latest inputs win,
// and while training at most one request per `intervalMs`, or per three times
// the last request's duration when that is longer (a slow backend keeps
// training instead of sampling). A request that fails (the worker could not
// answer, the run was reset, the backend switched, no reply in time) frees the
// slot, says why in `error`, and is asked again when its inputs next change or
// the view is enabled again.
import { useEffect, useRef, useState } from 'react';

export interface LiveResult<T> {
  /** The latest answer, and the key it was asked with; kept while a newer one is on its way. */
  value: T | null;
  key: string | null;
  /** Why the latest request failed, and its key; null once a later one succeeds. */
  error: { key: string; message: string } | null;
}

/**
 * Whether to ask now: enabled, nothing in flight, and the key neither answered
 * nor just failed (a failed key is not asked again at once, so a question the
 * worker cannot answer does not spin; the next key, or re-enabling, asks).
 */
export function shouldAsk(o: {
  enabled: boolean;
  inFlight: boolean;
  key: string;
  answered: string | null;
  failed: string | null;
}): boolean {
  return o.enabled && !o.inFlight && o.key !== o.answered && o.key !== o.failed;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function useLiveQuery<T>(
  query: () => Promise<T>,
  /** Changes whenever the answer may change (model step, inputs, run). */
  key: string,
  { enabled, running, intervalMs }: { enabled: boolean; running: boolean; intervalMs: number },
): LiveResult<T> {
  const [result, setResult] = useState<LiveResult<T>>({ value: null, key: null, error: null });
  const queryRef = useRef(query);
  queryRef.current = query;
  const inFlight = useRef(false);
  const lastDone = useRef(-Infinity);
  const lastDuration = useRef(0);
  const mounted = useRef(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // Disabled (the model is being rebuilt, say): a key that failed before may be asked again once enabled.
  const failedKey = result.error?.key ?? null;
  useEffect(() => {
    if (!enabled && failedKey !== null) setResult((r) => ({ ...r, error: null }));
  }, [enabled, failedKey]);

  useEffect(() => {
    if (!shouldAsk({ enabled, inFlight: inFlight.current, key, answered: result.key, failed: failedKey })) return;
    const gap = Math.max(intervalMs, 3 * lastDuration.current);
    const wait = running ? lastDone.current + gap - performance.now() : 0;
    if (wait > 0) {
      const t = setTimeout(() => setTick((n) => n + 1), wait);
      return () => clearTimeout(t);
    }
    inFlight.current = true;
    const asked = key;
    const started = performance.now();
    // An answer for older inputs is still shown until the newer one arrives.
    let settled: Promise<unknown>;
    try {
      settled = queryRef.current().then(
        (value) => mounted.current && setResult({ value, key: asked, error: null }),
        (err: unknown) =>
          mounted.current && setResult((r) => ({ ...r, error: { key: asked, message: messageOf(err) } })),
      );
    } catch (err) {
      settled = Promise.resolve(
        mounted.current && setResult((r) => ({ ...r, error: { key: asked, message: messageOf(err) } })),
      );
    }
    void settled.finally(() => {
      inFlight.current = false;
      lastDone.current = performance.now();
      lastDuration.current = lastDone.current - started;
      // Inputs may have moved on while this request ran: look again.
      if (mounted.current) setTick((n) => n + 1);
    });
  }, [enabled, running, intervalMs, key, result.key, failedKey, tick]);

  return result;
}

/**
 * The parts of `r` about run generation `generation` (keys start with
 * "<generation>:"): an answer or an error about an earlier run (before a
 * reset, a new spec, another backend) does not describe this model.
 */
export function ofGeneration<T>(
  r: LiveResult<T>,
  generation: number,
): { value: T | null; key: string | null; error: string | null } {
  const prefix = `${generation}:`;
  const current = r.key?.startsWith(prefix) ?? false;
  return {
    value: current ? r.value : null,
    key: current ? r.key : null,
    error: r.error?.key.startsWith(prefix) ? r.error.message : null,
  };
}
