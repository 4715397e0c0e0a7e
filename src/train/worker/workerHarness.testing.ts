// The training worker's message loop, loaded in Node for a test: a fake
// `self` collects what it posts, and `send` hands it messages. Each test file
// mocks the modules the worker imports (vi.mock is hoisted per file) and calls
// loadWorker() in its beforeEach, after vi.resetModules().
import type { FromWorker, ToWorker } from '../contract';

export interface LoadedWorker {
  /** Every message the worker posted, in order. */
  posted: FromWorker[];
  send(msg: ToWorker): void;
  /** The posted messages of one type. */
  ofType<K extends FromWorker['type']>(type: K): Extract<FromWorker, { type: K }>[];
}

export async function loadWorker(): Promise<LoadedWorker> {
  const posted: FromWorker[] = [];
  const self = { postMessage: (m: FromWorker) => posted.push(m), onmessage: null as null | ((e: unknown) => void) };
  (globalThis as unknown as { self: unknown }).self = self;
  await import('./trainer.worker');
  return {
    posted,
    send: (msg) => self.onmessage!({ data: msg }),
    ofType: <K extends FromWorker['type']>(type: K) =>
      posted.filter((m): m is Extract<FromWorker, { type: K }> => m.type === type),
  };
}

export function unloadWorker(): void {
  delete (globalThis as unknown as { self?: unknown }).self;
}

/** Resolves once `ok()` holds; throws after `ms`. */
export async function until(ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}
