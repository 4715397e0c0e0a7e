// Pinned-run storage: IndexedDB through a small fake of its request API (Node has none),
// and the fall back to memory when it is missing, full or broken.
import { describe, expect, it } from 'vitest';
import { indexedDbStore, memoryStore, resilientStore } from './pinnedStore';
import { pinRecord } from './runHistory';

/** The part of IndexedDB the store uses, asynchronous like the real one; puts can be made to abort (quota). */
function fakeIndexedDb(opts: { failPut?: boolean; failOpen?: boolean } = {}) {
  const stores = new Map<string, Map<string, unknown>>();
  const later = (f: () => void) => setTimeout(f, 0);
  const db = {
    objectStoreNames: { contains: (n: string) => stores.has(n) },
    createObjectStore: (n: string) => stores.set(n, new Map()),
    transaction(name: string) {
      const store = stores.get(name);
      if (!store) throw new Error(`no store ${name}`);
      const tx: Record<string, unknown> & { oncomplete?: () => void; onabort?: () => void; error?: unknown } = {};
      tx.objectStore = () => ({
        get(key: string) {
          const req: { result?: unknown; onsuccess?: () => void } = {};
          later(() => {
            req.result = structuredClone(store.get(key));
            req.onsuccess?.();
          });
          return req;
        },
        put(value: unknown, key: string) {
          later(() => {
            if (opts.failPut) {
              tx.error = new Error('QuotaExceededError');
              tx.onabort?.();
              return;
            }
            store.set(key, structuredClone(value));
            tx.oncomplete?.();
          });
          return {};
        },
      });
      return tx;
    },
  };
  const factory = {
    opened: 0,
    open() {
      factory.opened++;
      const req: {
        result?: unknown;
        error?: unknown;
        onsuccess?: () => void;
        onerror?: () => void;
        onupgradeneeded?: () => void;
      } = {};
      later(() => {
        if (opts.failOpen) {
          req.error = new Error('SecurityError');
          req.onerror?.();
          return;
        }
        req.result = db;
        req.onupgradeneeded?.();
        req.onsuccess?.();
      });
      return req;
    },
  };
  return factory;
}

const record = pinRecord({
  id: 'r1',
  label: 'lr 0.01 → 0.003',
  armLabels: ['GPT'],
  points: Array.from({ length: 800 }, (_, i) => ({
    step: i + 1,
    loss: 4 - i / 800,
    lr: 0.01,
    gradNorm: 1,
    tokensSeen: (i + 1) * 64,
    tokensPerSecond: 500,
    stepMs: 12,
  })),
  evals: [
    { step: 0, heldOutLoss: 4.2 },
    { step: 25, heldOutLoss: 3.9 },
  ],
  link: '#/objectives/decoder-only?lr=0.01',
  query: 'lr=0.01',
  pinnedAt: 1_700_000_000_000,
});

describe('indexedDbStore', () => {
  it('round-trips pinned runs, and a new store on the same database (a reload) reads them', async () => {
    const idb = fakeIndexedDb();
    const first = indexedDbStore(idb as unknown as IDBFactory);
    expect(await first.get('/objectives/decoder-only|Tiny GPT')).toBeUndefined();
    await first.set('/objectives/decoder-only|Tiny GPT', [record]);
    const reloaded = indexedDbStore(idb as unknown as IDBFactory);
    const back = await reloaded.get('/objectives/decoder-only|Tiny GPT');
    expect(back).toEqual([record]);
    expect(back).not.toBe(record);
    expect((back as (typeof record)[])[0].points.length).toBe(500);
    // One open per store, not per call.
    await first.get('x');
    expect(idb.opened).toBe(2);
  });

  it('rejects a write the database aborts (quota)', async () => {
    const store = indexedDbStore(fakeIndexedDb({ failPut: true }) as unknown as IDBFactory);
    await expect(store.set('k', [record])).rejects.toThrow('Quota');
  });
});

describe('resilientStore', () => {
  it('uses memory when there is no IndexedDB', async () => {
    const store = resilientStore(null);
    await store.set('k', [record]);
    expect(await store.get('k')).toEqual([record]);
  });

  it('falls back to memory on a full database, without throwing', async () => {
    const broken = resilientStore(indexedDbStore(fakeIndexedDb({ failPut: true }) as unknown as IDBFactory));
    await expect(broken.set('b', [record])).resolves.toBeUndefined();
    expect(await broken.get('b')).toEqual([record]);
  });

  it('carries values read before a failure over to memory', async () => {
    let fail = false;
    const primary = memoryStore();
    await primary.set('a', ['kept']);
    const flaky = {
      get: (k: string) => (fail ? Promise.reject(new Error('gone')) : primary.get(k)),
      set: (k: string, v: unknown) => (fail ? Promise.reject(new Error('gone')) : primary.set(k, v)),
    };
    const store = resilientStore(flaky);
    expect(await store.get('a')).toEqual(['kept']);
    fail = true;
    await store.set('b', ['new']);
    expect(await store.get('a')).toEqual(['kept']);
    expect(await store.get('b')).toEqual(['new']);
  });

  it('falls back when IndexedDB will not open (storage blocked)', async () => {
    const store = resilientStore(indexedDbStore(fakeIndexedDb({ failOpen: true }) as unknown as IDBFactory));
    await store.set('k', [1]);
    expect(await store.get('k')).toEqual([1]);
  });
});

describe('memoryStore', () => {
  it('keeps copies, as IndexedDB does', async () => {
    const store = memoryStore();
    const value = { n: 1 };
    await store.set('k', value);
    value.n = 2;
    expect(await store.get('k')).toEqual({ n: 1 });
  });
});
