// `auto` by measurement, inside the worker: before the first run of a model
// shape is built, each candidate backend trains a throwaway copy of it for a
// few steps and the fastest wins. The copy is freed and the real run built
// afresh from its seed, so the trial changes nothing the page shows. A choice
// is remembered per model shape (autoChoice.modelKey), in the worker and in
// IndexedDB, so a reload or another page with the same model does not time again.
import { createEngine } from '../createEngine';
import type { BackendName, BackendTrial, RunSpec } from '../contract';
import { median } from './autoChoice';
import { tryStart } from './backendSelect';

/** Steps timed per candidate, after one untimed step (it allocates, and on a GPU compiles its kernels). */
const TIMED_STEPS = 3;

/** Trains a throwaway copy of `run` on `name` and returns its median ms per step. */
export async function timeBackend(run: RunSpec, name: BackendName): Promise<BackendTrial> {
  const failure = await tryStart(name);
  if (failure !== null) return { name, msPerStep: null, failure };
  let engine: Awaited<ReturnType<typeof createEngine>> | null = null;
  try {
    engine = await createEngine(run);
    await engine.trainSteps(1);
    const times: number[] = [];
    for (let i = 0; i < TIMED_STEPS; i++) {
      const t0 = performance.now();
      // trainSteps reads the loss back, so the time includes the GPU's queue.
      await engine.trainSteps(1);
      times.push(performance.now() - t0);
    }
    return { name, msPerStep: median(times) };
  } catch (err) {
    return { name, msPerStep: null, failure: err instanceof Error ? err.message : String(err) };
  } finally {
    engine?.dispose();
  }
}

const DB = 'llm-notebook-auto-backend';
const STORE = 'trials';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** A model's remembered trials, or null (none yet, or no IndexedDB: then it is timed again). */
export async function recalled(key: string): Promise<BackendTrial[] | null> {
  if (typeof indexedDB === 'undefined') return null;
  try {
    const db = await openDb();
    return await new Promise<BackendTrial[] | null>((resolve) => {
      const req = db.transaction(STORE).objectStore(STORE).get(key);
      req.onsuccess = () => resolve(Array.isArray(req.result) ? (req.result as BackendTrial[]) : null);
      req.onerror = () => resolve(null);
    }).finally(() => db.close());
  } catch {
    return null;
  }
}

/** Remembers a model's trials; a storage failure only means timing again next visit. */
export async function remember(key: string, trials: BackendTrial[]): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  try {
    const db = await openDb();
    await new Promise<void>((resolve) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(trials, key);
      tx.oncomplete = tx.onerror = tx.onabort = () => resolve();
    }).finally(() => db.close());
  } catch {
    /* timed again next visit */
  }
}
