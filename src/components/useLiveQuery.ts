// Keeps a view of the model (a sample, token scores) up to date without
// flooding the worker: one request in flight at a time, the latest inputs win,
// and while training at most one request per `intervalMs`.
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
    const wait = running ? lastDone.current + intervalMs - performance.now() : 0;
    if (wait > 0) {
      const t = setTimeout(() => setTick((n) => n + 1), wait);
      return () => clearTimeout(t);
    }
    inFlight.current = true;
    const asked = key;
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
        // Inputs may have moved on while this request ran: look again.
        if (mounted.current) setTick((n) => n + 1);
      });
  }, [enabled, running, intervalMs, key, result.key, tick]);

  return result;
}
