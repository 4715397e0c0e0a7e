// Where pinned runs are kept across reloads: IndexedDB (one object store,
// one entry per page and trainer), behind a two-call interface, with an
// in-memory store that takes over when IndexedDB is missing (a private
// window, a test), refuses (quota) or fails: the page then keeps its pinned
// runs until it is closed, and nothing throws.

/** The two calls run history needs. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** A store in this page's memory: what IndexedDB falls back to. Values are cloned, as IndexedDB would. */
export function memoryStore(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: async (key) => (data.has(key) ? structuredClone(data.get(key)) : undefined),
    set: async (key, value) => {
      data.set(key, structuredClone(value));
    },
  };
}

const DB_NAME = 'llm-notebook';
const STORE = 'pinned-runs';

/** A request's result as a promise. */
function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * IndexedDB's database `llm-notebook`, store `pinned-runs` (keys are strings
 * given by the caller), opened on first use. `factory` is the browser's
 * indexedDB; a test may hand in another.
 */
export function indexedDbStore(factory: IDBFactory): KeyValueStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB did not open'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    });
    return db;
  };
  return {
    get: async (key) => done((await open()).transaction(STORE, 'readonly').objectStore(STORE).get(key)),
    set: async (key, value) => {
      const tx = (await open()).transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(value, key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted (quota?)'));
      });
    },
  };
}

/**
 * `primary` while it works; after its first failure, `fallback` for good,
 * starting from what was last read or written through this store, so runs
 * pinned before the failure are not lost. Never rejects.
 */
export function resilientStore(primary: KeyValueStore | null, fallback: KeyValueStore = memoryStore()): KeyValueStore {
  let failed = primary === null;
  // The latest value seen per key, to seed the fallback when the primary fails.
  const latest = new Map<string, unknown>();
  const failOver = async () => {
    if (failed) return;
    failed = true;
    for (const [k, v] of latest) await fallback.set(k, v);
  };
  return {
    async get(key) {
      if (!failed && primary) {
        try {
          const v = await primary.get(key);
          latest.set(key, v);
          return v;
        } catch {
          await failOver();
        }
      }
      return fallback.get(key);
    },
    async set(key, value) {
      latest.set(key, value);
      if (!failed && primary) {
        try {
          await primary.set(key, value);
          return;
        } catch {
          await failOver();
        }
      }
      await fallback.set(key, value);
    },
  };
}

let shared: KeyValueStore | null = null;

/** The page's one store for pinned runs: IndexedDB where the browser has it, memory otherwise. */
export function pinnedStore(): KeyValueStore {
  if (!shared) {
    let factory: IDBFactory | null;
    try {
      factory = typeof indexedDB === 'undefined' ? null : indexedDB;
    } catch {
      // Some browsers throw on merely reading indexedDB when storage is blocked.
      factory = null;
    }
    shared = resilientStore(factory ? indexedDbStore(factory) : null);
  }
  return shared;
}
