// The custom-text field's checker: core's checkUserInput in a small worker of
// its own (textCheck.worker.ts), started on the first check and stopped with
// the field. Without workers (a test environment) it runs after the render.
import { useCallback, useEffect, useRef } from 'react';
import { checkUserInput, type MeasuredCheck } from '../../core/text/userText';
import type { TextCheckInput, TextCheckReply } from './textCheck.worker';

export type { TextCheckInput };

export function useTextCheck(): (input: TextCheckInput) => Promise<MeasuredCheck> {
  const worker = useRef<Worker | null>(null);
  const waiting = useRef(new Map<number, (r: MeasuredCheck) => void>());
  const nextId = useRef(0);

  useEffect(() => {
    const pending = waiting.current;
    return () => {
      worker.current?.terminate();
      worker.current = null;
      pending.clear();
    };
  }, []);

  return useCallback((input: TextCheckInput) => {
    if (typeof Worker === 'undefined')
      return new Promise<MeasuredCheck>((resolve) => setTimeout(() => resolve(checkUserInput(input))));
    if (!worker.current) {
      const w = new Worker(new URL('./textCheck.worker.ts', import.meta.url), { type: 'module', name: 'text-check' });
      w.onmessage = (e: MessageEvent<TextCheckReply>) => {
        const resolve = waiting.current.get(e.data.id);
        waiting.current.delete(e.data.id);
        resolve?.(e.data.result);
      };
      w.onerror = (e) => {
        e.preventDefault();
        const error = e.message || 'The text checker failed to start.';
        for (const resolve of waiting.current.values()) resolve({ ok: false, error });
        waiting.current.clear();
        w.terminate();
        if (worker.current === w) worker.current = null;
      };
      worker.current = w;
    }
    const id = ++nextId.current;
    return new Promise<MeasuredCheck>((resolve) => {
      waiting.current.set(id, resolve);
      worker.current!.postMessage({ id, input });
    });
  }, []);
}
