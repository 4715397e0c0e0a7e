// Keeps a view of the model (a sample, token scores) up to date without
// flooding the worker: one request in flight at a time, the latest inputs win,
// and while training at most one request per `intervalMs`, or per three times
// the last request's duration when that is longer (a slow backend keeps
// training instead of sampling).
import { useEffect, useRef, useState } from 'react';

export function useLiveQuery<T>(
  query: () => Promise<T>,
  /** Changes whenever the answer may change (model step, inputs, run). */
  key: string,
  { enabled, running, intervalMs }: { enabled: boolean; running: boolean; intervalMs: number },
): { value: T | null; key: string | null } {
  const [result, setResult] = useState<{ value: T | null; key: string | null }>({ value: null, key: null });
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

  useEffect(() => {
    if (!enabled || inFlight.current || result.key === key) return;
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
    queryRef
      .current()
      .then(
        (value) => mounted.current && setResult({ value, key: asked }),
        () => mounted.current && setResult((r) => ({ ...r, key: asked })),
      )
      .finally(() => {
        inFlight.current = false;
        lastDone.current = performance.now();
        lastDuration.current = lastDone.current - started;
        // Inputs may have moved on while this request ran: look again.
        if (mounted.current) setTick((n) => n + 1);
      });
  }, [enabled, running, intervalMs, key, result.key, tick]);

  return result;
}
