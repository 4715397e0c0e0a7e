// The worker's message loop in Node, with the engine, the backend and the task
// queries replaced by fakes: which models it builds in a storm of creates,
// that every query gets exactly one reply, and that messages name their run.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker, RunSpec, ToWorker } from '../contract';
import { loadWorker, unloadWorker, until, type LoadedWorker } from './workerHarness.testing';

/** A fake engine: one step per call, a loss of 1, built in BUILD_MS. */
const BUILD_MS = 20;
const built: { runSeed: number; disposed: boolean }[] = [];

function fakeEngine(run: RunSpec) {
  let step = 0;
  const record = { runSeed: run.seed, disposed: false };
  built.push(record);
  return {
    kind: run.task,
    run: { evalEvery: 1000 },
    paramCount: 10,
    vocabSize: 5,
    holdsReference: true,
    get step() {
      return step;
    },
    async trainSteps(n: number) {
      await new Promise((r) => setTimeout(r, 1));
      return Array.from({ length: n }, () => ({
        step: ++step,
        loss: 1,
        lr: 0,
        gradNorm: 0,
        tokensSeen: 0,
        tokensPerSecond: 0,
        stepMs: 0,
      }));
    },
    isDiverged: () => false,
    evaluate: async () => ({ step, heldOutLoss: 1 }),
    initialEval: async () => ({ step: 0, heldOutLoss: 2 }),
    dispose() {
      record.disposed = true;
    },
  };
}

/** The worker's kernel thread caps, in order (forceKernelThreads' argument). */
const threadCaps: (1 | 2 | null)[] = [];
vi.mock('../../models/kernels/threads', () => ({
  setHelperSpawner: () => {},
  forceKernelThreads: (threads: 1 | 2 | null) => threadCaps.push(threads),
}));
vi.mock('./backendSelect', () => ({
  startBackend: async () => ({ name: 'cpu', reason: 'test', detail: [] }),
  prepareWasmHeap: () => {},
  kernelReport: () => ({}),
}));
/** The seeds of the runs whose data the worker started preparing, in order. */
const prefetched: number[] = [];
vi.mock('../createEngine', () => ({
  createEngine: async (run: RunSpec) => {
    await new Promise((r) => setTimeout(r, BUILD_MS));
    return fakeEngine(run);
  },
  prefetchData: async (run: RunSpec) => {
    prefetched.push(run.seed);
  },
}));
vi.mock('../contract', async (original) => ({
  ...(await original<typeof import('../contract')>()),
  // Seed -1 stands for a run the check refuses.
  validateRun: (run: RunSpec) => (run.seed === -1 ? ['seed: out of range'] : []),
}));
let sampleGate: Promise<void> = Promise.resolve();
vi.mock('../tasks/gptQueries', () => ({
  sampleText: async (_e: unknown, prompt: string) => {
    await sampleGate;
    if (prompt === 'throw') throw new Error('tensor disposed');
    return `${prompt}!`;
  },
  scoreText: async () => ({ tokens: [], total: 0 }),
  optimizerMatrix: async () => ({ shape: [1, 1], values: new Float32Array(1), step: 0 }),
  gradientHistogram: async () => ({ histogram: null, scale: 1, count: 0, step: 0 }),
}));
vi.mock('../tasks/bertQueries', () => ({
  fillBlanks: async () => ({ tokens: [], predictions: [], error: null }),
  trainingExamples: () => [],
}));
vi.mock('../tasks/encdec', () => ({ reconstruct: async () => [] }));

const run = (task: RunSpec['task'], seed = 1) => ({ task, seed }) as unknown as RunSpec;

let posted: FromWorker[] = [];
let send: (msg: ToWorker) => void;
let ofType: LoadedWorker['ofType'];

beforeEach(async () => {
  vi.resetModules();
  built.length = 0;
  threadCaps.length = 0;
  prefetched.length = 0;
  sampleGate = Promise.resolve();
  ({ posted, send, ofType } = await loadWorker());
  send({ type: 'init', backend: 'cpu' });
});

afterEach(unloadWorker);

const replyTo = (requestId: number) => posted.filter((m) => 'requestId' in m && m.requestId === requestId);

describe('trainer worker', () => {
  it('a storm of creates builds the one being built and the last, not one per message', async () => {
    for (let runId = 1; runId <= 20; runId++) send({ type: 'create', runId, run: run('gpt', runId) });
    await until(() => ofType('created').some((m) => m.runId === 20));
    await new Promise((r) => setTimeout(r, 3 * BUILD_MS));
    expect(built.map((b) => b.runSeed)).toEqual([1, 20]);
    expect(ofType('created').map((m) => m.runId)).toEqual([1, 20]);
    expect(built[0].disposed).toBe(true);
  });

  it('a create starts preparing its data when it arrives, before the creates ahead of it are built', async () => {
    send({ type: 'create', runId: 1, run: run('gpt', 1) });
    send({ type: 'create', runId: 2, run: run('bert', 2) });
    send({ type: 'create', runId: 3, run: run('gpt', -1) });
    // Nothing is built yet (the backend's start and the first build are still ahead), but both valid runs load.
    expect(built).toEqual([]);
    expect(prefetched).toEqual([1, 2]);
    await until(() => ofType('error').some((m) => 'runId' in m && m.runId === 3));
  });

  it('a dispose supersedes the creates still waiting', async () => {
    send({ type: 'create', runId: 1, run: run('gpt') });
    send({ type: 'create', runId: 2, run: run('gpt') });
    send({ type: 'dispose' });
    await new Promise((r) => setTimeout(r, 4 * BUILD_MS));
    expect(built.map((b) => b.runSeed)).toEqual([1]);
    expect(built[0].disposed).toBe(true);
  });

  it('every run message names its run; a refused run says so with its id', async () => {
    send({ type: 'create', runId: 7, run: run('gpt', -1) });
    await until(() => ofType('error').length > 0);
    expect(ofType('error')[0]).toMatchObject({ runId: 7, during: 'create' });
    send({ type: 'create', runId: 8, run: run('gpt') });
    await until(() => ofType('created').length > 0);
    send({ type: 'step', runId: 8 });
    send({ type: 'train', runId: 8 });
    await until(() => ofType('progress').length >= 5);
    send({ type: 'pause' });
    await until(() => ofType('state').some((m) => !m.running));
    for (const m of posted) if (m.type !== 'ready' && m.type !== 'error') expect(m).toHaveProperty('runId', 8);
    // Steps only go forward.
    const steps = ofType('progress').flatMap((m) => m.points.map((p) => p.step));
    expect(steps).toEqual(steps.map((_, i) => i + 1));
  });

  it('step until N takes the steps up to N (in chunks that end on evaluation steps), and none when there', async () => {
    send({ type: 'create', runId: 1, run: run('gpt') });
    await until(() => ofType('created').length > 0);
    send({ type: 'step', runId: 1 });
    send({ type: 'step', runId: 1, until: 4 });
    send({ type: 'step', runId: 1, until: 2 });
    send({ type: 'step', runId: 1, until: 4 });
    send({ type: 'step', runId: 1 });
    await until(() => ofType('progress').flatMap((m) => m.points).length >= 5);
    await new Promise((r) => setTimeout(r, 20));
    const steps = ofType('progress').flatMap((m) => m.points.map((p) => p.step));
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });

  it('train until N stops at N, still running, and goes on when a higher N comes', async () => {
    send({ type: 'create', runId: 1, run: run('gpt') });
    await until(() => ofType('created').length > 0);
    send({ type: 'train', runId: 1, until: 3 });
    await until(() => ofType('progress').flatMap((m) => m.points).length >= 3);
    await new Promise((r) => setTimeout(r, 30));
    const steps = () => ofType('progress').flatMap((m) => m.points.map((p) => p.step));
    expect(steps()).toEqual([1, 2, 3]);
    expect(ofType('state').map((m) => m.running)).toEqual([true]);
    send({ type: 'train', runId: 1, until: 6 });
    await until(() => steps().length >= 6);
    await new Promise((r) => setTimeout(r, 30));
    expect(steps()).toEqual([1, 2, 3, 4, 5, 6]);
    send({ type: 'pause' });
    await until(() => ofType('state').length >= 2);
    expect(ofType('state').map((m) => m.running)).toEqual([true, false]);
  });

  it('a part of a spread run keeps its kernels on one thread; a whole run goes back to what the page allows', async () => {
    const part = { ...run('gpt'), arms: [{}, {}] } as unknown as RunSpec;
    send({ type: 'create', runId: 1, run: part, arms: [1] });
    await until(() => ofType('created').length > 0);
    expect(threadCaps).toEqual([null, 1]);
    send({ type: 'create', runId: 2, run: part });
    await until(() => ofType('created').length > 1);
    expect(threadCaps).toEqual([null, 1, null]);
    // A part naming an arm the run does not have is refused before anything is built.
    send({ type: 'create', runId: 3, run: part, arms: [2] });
    await until(() => ofType('error').length > 0);
    expect(ofType('error')[0]).toMatchObject({ runId: 3, during: 'create' });
    expect(ofType('error')[0].message).toMatch(/arms: each must be an arm from 0 to 1/);
  });

  it('train and step for a replaced run are refused', async () => {
    send({ type: 'create', runId: 1, run: run('gpt') });
    await until(() => ofType('created').length > 0);
    send({ type: 'train', runId: 0 });
    send({ type: 'step', runId: 0 });
    await new Promise((r) => setTimeout(r, 20));
    expect(ofType('progress')).toEqual([]);
    expect(ofType('state').every((m) => !m.running)).toBe(true);
  });

  it('a train sent behind a queued step and create neither deadlocks nor trains the old run', async () => {
    send({ type: 'create', runId: 1, run: run('gpt') });
    await until(() => ofType('created').length > 0);
    send({ type: 'step', runId: 1 });
    send({ type: 'create', runId: 2, run: run('gpt', 2) });
    send({ type: 'train', runId: 1 });
    await until(() => ofType('created').some((m) => m.runId === 2));
    send({ type: 'train', runId: 2 });
    await until(() => ofType('progress').some((m) => m.runId === 2 && m.points.at(-1)!.step >= 3));
    send({ type: 'pause' });
  });

  it('every query gets exactly one reply: an answer, or failed with why', async () => {
    let id = 0;
    const asked: number[] = [];
    const ask = (msg: Record<string, unknown>) => {
      asked.push(++id);
      send({ ...msg, requestId: id } as ToWorker);
      return id;
    };
    // No model yet.
    const early = ask({ type: 'sample', runId: 1, prompt: 'a', length: 1, temperature: 1, seed: 0 });
    send({ type: 'create', runId: 1, run: run('bert') });
    // Asked while the model is being built.
    const building = ask({ type: 'fill', runId: 1, text: '[MASK]', arm: 0 });
    await until(() => ofType('created').length > 0);
    // A question of another task, of another run, and one that is answered.
    const otherTask = ask({ type: 'sample', runId: 1, prompt: 'a', length: 1, temperature: 1, seed: 0 });
    const otherRun = ask({ type: 'fill', runId: 0, text: '[MASK]', arm: 0 });
    const fine = ask({ type: 'fill', runId: 1, text: '[MASK]', arm: 0 });
    const examples = ask({ type: 'examples', runId: 1, count: 1, seed: 0 });
    await until(() => asked.every((r) => replyTo(r).length > 0));
    for (const r of asked) expect(replyTo(r)).toHaveLength(1);
    expect(replyTo(early)[0].type).toBe('failed');
    expect(replyTo(building)[0].type).toBe('failed');
    expect(replyTo(otherTask)[0]).toMatchObject({ type: 'failed', message: expect.stringContaining('bert') });
    expect(replyTo(otherRun)[0].type).toBe('failed');
    expect(replyTo(fine)[0].type).toBe('fill');
    expect(replyTo(examples)[0].type).toBe('examples');
  });

  it('a query cut short by an error, or in flight while the model is replaced, still gets its reply', async () => {
    send({ type: 'create', runId: 1, run: run('gpt') });
    await until(() => ofType('created').length > 0);
    send({ type: 'sample', requestId: 1, runId: 1, prompt: 'throw', length: 1, temperature: 1, seed: 0 });
    let release = () => {};
    sampleGate = new Promise((r) => (release = r));
    send({ type: 'sample', requestId: 2, runId: 1, prompt: 'slow', length: 1, temperature: 1, seed: 0 });
    send({ type: 'create', runId: 2, run: run('gpt', 2) });
    send({ type: 'sample', requestId: 3, runId: 1, prompt: 'late', length: 1, temperature: 1, seed: 0 });
    await new Promise((r) => setTimeout(r, 10));
    // The new model waits for the read in flight on the old one before freeing it.
    expect(built).toHaveLength(1);
    release();
    await until(() => ofType('created').some((m) => m.runId === 2));
    expect(replyTo(1)).toEqual([{ type: 'failed', requestId: 1, message: 'tensor disposed' }]);
    expect(replyTo(2)).toEqual([{ type: 'sample', requestId: 2, text: 'slow!' }]);
    expect(replyTo(3)).toHaveLength(1);
    expect(replyTo(3)[0].type).toBe('failed');
  });
});
