// `auto` by measurement in the worker's own message loop (Node, fakes for the
// backends and the engine): the candidates are timed once per model shape
// before the run is built, the fastest starts, the page hears every time, and
// a remembered choice is used without timing again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName, BackendTrial, FromWorker, RunSpec, ToWorker } from '../contract';
import { loadWorker, unloadWorker, until, type LoadedWorker } from './workerHarness.testing';

/** Each candidate's fake median ms per step; null = it fails. */
let speeds: Partial<Record<BackendName, number | null>> = {};
const timed: string[] = [];
const started: BackendName[] = [];
let stored = new Map<string, BackendTrial[]>();

vi.mock('./backendSelect', () => ({
  startBackend: async () => ({ name: 'wasm', reason: 'test', candidates: ['webgpu', 'webgl', 'wasm'] }),
  tryStart: async (name: BackendName) => {
    started.push(name);
    return null;
  },
  kernelReport: () => ({}),
  prepareWasmHeap: () => {},
}));
vi.mock('./autoTrial', () => ({
  timeBackend: async (run: RunSpec, name: BackendName): Promise<BackendTrial> => {
    timed.push(`${name}:${run.batchSize}`);
    const ms = speeds[name] ?? null;
    return ms === null ? { name, msPerStep: null, failure: 'lost context' } : { name, msPerStep: ms };
  },
  recalled: async (key: string) => stored.get(key) ?? null,
  remember: async (key: string, trials: BackendTrial[]) => void stored.set(key, trials),
}));
vi.mock('../createEngine', () => ({
  prefetchData: async () => undefined,
  createEngine: async (run: RunSpec) => ({
    kind: run.task,
    run: { evalEvery: 1000 },
    paramCount: 10,
    vocabSize: 5,
    trainSteps: async () => [],
    isDiverged: () => false,
    evaluate: async () => ({ step: 0, heldOutLoss: 1 }),
    initialEval: async () => ({ step: 0, heldOutLoss: 2 }),
    dispose() {},
  }),
}));
vi.mock('../contract', async (original) => ({
  ...(await original<typeof import('../contract')>()),
  validateRun: () => [],
}));

const run = (batchSize: number, seed = 1) =>
  ({ task: 'gpt', seed, batchSize, model: { dModel: 32 }, arms: [{ label: 'a' }] }) as unknown as RunSpec;

let posted: FromWorker[] = [];
let send: (msg: ToWorker) => void;
let ofType: LoadedWorker['ofType'];

beforeEach(async () => {
  vi.resetModules();
  timed.length = 0;
  started.length = 0;
  ({ posted, send, ofType } = await loadWorker());
  send({ type: 'init', backend: 'auto' });
});

afterEach(unloadWorker);

describe('auto by measurement in the worker', () => {
  it('times every candidate before building a new model shape, and trains on the fastest', async () => {
    stored = new Map();
    speeds = { webgpu: 80, webgl: 12, wasm: 50 };
    send({ type: 'create', runId: 1, run: run(16) });
    await until(() => ofType('created').length === 1);
    expect(timed).toEqual(['webgpu:16', 'webgl:16', 'wasm:16']);
    const [report] = ofType('backend');
    expect(report.backend.name).toBe('webgl');
    expect(report.backend.trials?.map((t) => t.msPerStep)).toEqual([80, 12, 50]);
    expect(report.backend.reason).toContain('webgl is fastest');
    // The switch came before the real build.
    expect(posted.indexOf(report)).toBeLessThan(posted.indexOf(ofType('created')[0]));
    expect(started.at(-1)).toBe('webgl');

    // Another run of the same shape (a new seed) is not timed again; a new batch size is.
    send({ type: 'create', runId: 2, run: run(16, 2) });
    await until(() => ofType('created').length === 2);
    expect(timed).toHaveLength(3);
    send({ type: 'create', runId: 3, run: run(8) });
    await until(() => ofType('created').length === 3);
    expect(timed.slice(3)).toEqual(['webgpu:8', 'webgl:8', 'wasm:8']);
  });

  it('a failed candidate is skipped; all failing leaves wasm', async () => {
    stored = new Map();
    speeds = { webgpu: null, webgl: null, wasm: 50 };
    send({ type: 'create', runId: 1, run: run(16) });
    await until(() => ofType('backend').length === 1);
    expect(ofType('backend')[0].backend.name).toBe('wasm');
    expect(ofType('backend')[0].backend.reason).toContain('webgpu failed (lost context)');
  });

  it('a part of a spread run is not timed: it stays on the backend the page spread it for', async () => {
    stored = new Map();
    speeds = { webgpu: 5, webgl: 12, wasm: 50 };
    const two = { ...run(16), arms: [{ label: 'a' }, { label: 'b' }] } as unknown as RunSpec;
    send({ type: 'create', runId: 1, run: two, arms: [1] });
    await until(() => ofType('created').length === 1);
    expect(timed).toEqual([]);
    expect(ofType('backend')).toEqual([]);
    // The whole run is timed as before.
    send({ type: 'create', runId: 2, run: two });
    await until(() => ofType('created').length === 2);
    expect(timed).toEqual(['webgpu:16', 'webgl:16', 'wasm:16']);
  });

  it('a choice remembered from an earlier visit is used without timing', async () => {
    speeds = {};
    stored = new Map();
    // What an earlier visit stored for this shape (the key is modelKey's).
    const { modelKey } = await import('./autoChoice');
    stored.set(modelKey(run(16)), [
      { name: 'webgpu', msPerStep: 9 },
      { name: 'wasm', msPerStep: 50 },
    ]);
    send({ type: 'create', runId: 1, run: run(16) });
    await until(() => ofType('created').length === 1);
    expect(timed).toEqual([]);
    expect(ofType('backend')[0].backend).toMatchObject({ name: 'webgpu' });
    expect(ofType('backend')[0].backend.reason).toContain('measured earlier');
  });
});
