// The merger between a page and the workers of a spread run, driven by hand:
// what each worker is sent, and what the page hears back.
import { describe, expect, it } from 'vitest';
import type { EvalPoint, FromWorker, GptRunSpec, StepPoint, ToWorker } from '../contract';
import { ShardMerger, STEP_WINDOW } from './shardMerge';

const arm = (label: string) => ({
  label,
  optimizer: { kind: 'sgd' as const },
  schedule: { kind: 'constant' as const, lr: 0.1, warmupSteps: 0, totalSteps: 10, minLrRatio: 1 },
  clipNorm: null,
});

const RUN: GptRunSpec = {
  task: 'gpt',
  seed: 1,
  data: { kind: 'text', train: 'ab', heldOut: 'ab' },
  batchSize: 2,
  evalEvery: 2,
  model: { tokenizer: 'char', wordVocab: 10, nLayers: 1, dModel: 8, nHeads: 2, contextLength: 4 },
  arms: ['a', 'b', 'c', 'd', 'e'].map(arm),
};

function setup(spread: number, workers = spread) {
  const page: FromWorker[] = [];
  const sent: { to: number; msg: ToWorker }[] = [];
  const m = new ShardMerger({ emit: (msg) => page.push(msg), send: (to, msg) => sent.push({ to, msg }) });
  m.create({ type: 'create', runId: 1, run: RUN }, spread, workers);
  const to = (i: number) => sent.filter((s) => s.to === i).map((s) => s.msg);
  return { m, page, sent, to };
}

/** Worker `part`'s point at `step`: its arms' totals are 10 * arm + step, for arms `arms`. */
function point(step: number, arms: number[], extra: Partial<StepPoint> = {}): StepPoint {
  return {
    step,
    loss: 10 * arms[0] + step,
    lr: 0.1,
    gradNorm: 1,
    tokensSeen: 8 * step,
    tokensPerSecond: 1000 + arms[0],
    stepMs: 5 + arms[0],
    arms: arms.map((a) => ({ total: 10 * a + step })),
    ...extra,
  };
}

const evalAt = (step: number, arms: number[]): EvalPoint => ({
  step,
  heldOutLoss: 10 * arms[0] + step,
  arms: arms.map((a) => ({ total: 100 * a + step })),
});

const PLAN = [
  [0, 1, 2],
  [3, 4],
];

function progress(m: ShardMerger, part: number, steps: number[], evals: number[] = []) {
  m.fromWorker(part, {
    type: 'progress',
    runId: 1,
    points: steps.map((s) => point(s, PLAN[part])),
    evals: evals.map((s) => evalAt(s, PLAN[part])),
  });
}

function created(m: ShardMerger, part: number) {
  m.fromWorker(part, {
    type: 'created',
    runId: 1,
    params: 100,
    vocabSize: 7,
    initial: evalAt(0, PLAN[part]),
  });
}

const merged = (page: FromWorker[]) =>
  page.flatMap((msg) => (msg.type === 'progress' ? msg.points : [])).map((p) => p.step);

describe('ShardMerger with one worker', () => {
  it('passes the create and every message through, and frees the fleet’s other workers', () => {
    const { m, page, to } = setup(1, 3);
    expect(to(0)).toEqual([{ type: 'create', runId: 1, run: RUN }]);
    expect(to(1)).toEqual([{ type: 'dispose' }]);
    expect(to(2)).toEqual([{ type: 'dispose' }]);
    m.fromPage({ type: 'fill', requestId: 4, runId: 1, text: 'x', arm: 3 });
    expect(to(0).at(-1)).toEqual({ type: 'fill', requestId: 4, runId: 1, text: 'x', arm: 3 });
    const msg: FromWorker = { type: 'progress', runId: 1, points: [point(1, [0])], evals: [] };
    m.fromWorker(0, msg);
    m.fromWorker(1, { type: 'state', runId: 1, running: true });
    expect(page).toEqual([msg]);
  });
});

describe('ShardMerger over two workers', () => {
  it('sends each worker its arms and tells the page "created" once both are built, arms in place', () => {
    const { m, page, to } = setup(2);
    expect(to(0)).toEqual([{ type: 'create', runId: 1, run: RUN, arms: [0, 1, 2] }]);
    expect(to(1)).toEqual([{ type: 'create', runId: 1, run: RUN, arms: [3, 4] }]);
    m.fromWorker(1, { type: 'loading', runId: 1, what: 'corpus', loaded: 5, total: 10 });
    m.fromWorker(0, { type: 'loading', runId: 1, what: 'corpus', loaded: 6, total: 10 });
    created(m, 0);
    expect(page.map((p) => p.type)).toEqual(['loading']);
    created(m, 1);
    const c = page.at(-1) as Extract<FromWorker, { type: 'created' }>;
    expect(c.type).toBe('created');
    expect(c.initial.heldOutLoss).toBe(0);
    expect(c.initial.arms!.map((a) => a.total)).toEqual([0, 100, 200, 300, 400]);
    expect(m.spread).toBe(2);
  });

  it('merges a step once every worker has it: the reference worker’s numbers, each arm’s own, the slowest pace', () => {
    const { m, page } = setup(2);
    created(m, 0);
    created(m, 1);
    progress(m, 0, [1, 2, 3], [2]);
    expect(merged(page)).toEqual([]);
    progress(m, 1, [1, 2], [2]);
    expect(merged(page)).toEqual([1, 2]);
    progress(m, 1, [3]);
    expect(merged(page)).toEqual([1, 2, 3]);
    const points = page.flatMap((msg) => (msg.type === 'progress' ? msg.points : []));
    expect(points[2].arms!.map((a) => a.total)).toEqual([3, 13, 23, 33, 43]);
    expect(points[2].loss).toBe(3);
    expect(points[2].tokensPerSecond).toBe(1000);
    expect(points[2].stepMs).toBe(8);
    const evals = page.flatMap((msg) => (msg.type === 'progress' ? msg.evals : []));
    expect(evals).toHaveLength(1);
    expect(evals[0].step).toBe(2);
    expect(evals[0].arms!.map((a) => a.total)).toEqual([2, 102, 202, 302, 402]);
  });

  it('pause: the worker behind catches up before the page hears "paused"', () => {
    const { m, page, to } = setup(2);
    created(m, 0);
    created(m, 1);
    m.fromPage({ type: 'train', runId: 1 });
    expect(to(0).at(-1)).toEqual({ type: 'train', runId: 1, until: STEP_WINDOW });
    expect(to(1).at(-1)).toEqual({ type: 'train', runId: 1, until: STEP_WINDOW });
    m.fromWorker(0, { type: 'state', runId: 1, running: true });
    m.fromWorker(1, { type: 'state', runId: 1, running: true });
    expect(page.filter((p) => p.type === 'state')).toEqual([{ type: 'state', runId: 1, running: true }]);
    progress(m, 0, [1, 2, 3, 4, 5]);
    progress(m, 1, [1, 2, 3]);
    m.fromPage({ type: 'pause' });
    m.fromWorker(0, { type: 'state', runId: 1, running: false });
    m.fromWorker(1, { type: 'state', runId: 1, running: false });
    expect(to(1).at(-1)).toEqual({ type: 'step', runId: 1, until: 5 });
    expect(to(0).filter((s) => s.type === 'step')).toEqual([]);
    expect(page.filter((p) => p.type === 'state')).toHaveLength(1);
    progress(m, 1, [4]);
    expect(page.filter((p) => p.type === 'state')).toHaveLength(1);
    progress(m, 1, [5]);
    expect(merged(page)).toEqual([1, 2, 3, 4, 5]);
    expect(page.at(-1)).toEqual({ type: 'state', runId: 1, running: false });
  });

  it('lets no worker train more than STEP_WINDOW steps past the slowest: more steps as the slowest advances', () => {
    const { m, to } = setup(2);
    created(m, 0);
    created(m, 1);
    m.fromPage({ type: 'train', runId: 1 });
    m.fromWorker(0, { type: 'state', runId: 1, running: true });
    m.fromWorker(1, { type: 'state', runId: 1, running: true });
    const limits = (i: number) => to(i).flatMap((msg) => (msg.type === 'train' ? [msg.until] : []));
    const steps = (from: number, n: number) => Array.from({ length: n }, (_, k) => from + k);
    // Worker 0 is fast: it reaches its limit, and waits, while worker 1 has done one step.
    progress(m, 0, steps(1, STEP_WINDOW));
    progress(m, 1, [1]);
    expect(limits(0)).toEqual([STEP_WINDOW]);
    // Once the merged step passes half the window, both get the next limit, a window past it.
    progress(m, 1, steps(2, STEP_WINDOW / 2));
    const merged = 1 + STEP_WINDOW / 2;
    expect(limits(0)).toEqual([STEP_WINDOW, merged + STEP_WINDOW]);
    expect(limits(1)).toEqual([STEP_WINDOW, merged + STEP_WINDOW]);
    // Paused: no more limits, however far the merged step goes.
    m.fromPage({ type: 'pause' });
    progress(m, 1, steps(merged + 1, STEP_WINDOW / 2));
    expect(limits(1)).toHaveLength(2);
  });

  it('a divergence in one worker ends the run at its step: the others are paused and brought there', () => {
    const { m, page, to } = setup(2);
    created(m, 0);
    created(m, 1);
    m.fromPage({ type: 'train', runId: 1 });
    m.fromWorker(0, { type: 'state', runId: 1, running: true });
    m.fromWorker(1, { type: 'state', runId: 1, running: true });
    progress(m, 0, [1, 2]);
    progress(m, 1, [1, 2, 3, 4]);
    m.fromWorker(1, { type: 'state', runId: 1, running: false });
    const diverged: FromWorker = { type: 'diverged', runId: 1, step: 4, message: 'diverged at step 4' };
    m.fromWorker(1, diverged);
    expect(to(0).at(-1)).toEqual({ type: 'pause' });
    progress(m, 0, [3]);
    m.fromWorker(0, { type: 'state', runId: 1, running: false });
    expect(to(0).at(-1)).toEqual({ type: 'step', runId: 1, until: 4 });
    expect(to(1).filter((s) => s.type === 'step')).toEqual([]);
    progress(m, 0, [4, 5]);
    expect(merged(page)).toEqual([1, 2, 3, 4]);
    expect(page.slice(-2)).toEqual([{ type: 'state', runId: 1, running: false }, diverged]);
    // The run is over: Train is refused without asking the workers.
    const before = to(0).length;
    m.fromPage({ type: 'train', runId: 1 });
    expect(to(0).length).toBe(before);
    expect(page.at(-1)).toEqual({ type: 'state', runId: 1, running: false });
  });

  it('an error in one worker stops the others and reaches the page once', () => {
    const { m, page, to } = setup(2);
    created(m, 0);
    created(m, 1);
    const error: FromWorker = { type: 'error', runId: 1, message: 'out of memory', during: 'train' };
    m.fromWorker(1, error);
    m.fromWorker(0, { ...error, message: 'again' });
    expect(page.filter((p) => p.type === 'error')).toEqual([error]);
    expect(to(0).at(-1)).toEqual({ type: 'pause' });
  });

  it('Train before every worker has built its part is refused', () => {
    const { m, page, to } = setup(2);
    created(m, 0);
    m.fromPage({ type: 'train', runId: 1 });
    expect(to(0).some((s) => s.type === 'train')).toBe(false);
    expect(page.at(-1)).toEqual({ type: 'state', runId: 1, running: false });
  });

  it('routes a question about an arm to its worker, by its place there; others to the reference arm’s worker', () => {
    const { m, to } = setup(2);
    m.fromPage({ type: 'reconstruct', requestId: 1, runId: 1, count: 2, arm: 4 });
    expect(to(1).at(-1)).toEqual({ type: 'reconstruct', requestId: 1, runId: 1, count: 2, arm: 1 });
    m.fromPage({ type: 'gradients', requestId: 2, runId: 1, arm: 2 });
    expect(to(0).at(-1)).toEqual({ type: 'gradients', requestId: 2, runId: 1, arm: 2 });
    m.fromPage({ type: 'sample', requestId: 3, runId: 1, prompt: 'a', length: 4, temperature: 1, seed: 1 });
    expect(to(0).at(-1)).toMatchObject({ type: 'sample', requestId: 3 });
  });

  it('memory: every worker’s numbers, summed; one failure fails the question once', () => {
    const { m, page, to } = setup(2);
    m.fromPage({ type: 'memory', requestId: 9, runId: 1 });
    expect(to(0).at(-1)).toEqual({ type: 'memory', requestId: 9, runId: 1 });
    expect(to(1).at(-1)).toEqual({ type: 'memory', requestId: 9, runId: 1 });
    m.fromWorker(0, { type: 'memory', requestId: 9, numTensors: 10, numBytes: 100, wasmHeapBytes: 1000 });
    expect(page).toEqual([]);
    m.fromWorker(1, { type: 'memory', requestId: 9, numTensors: 5, numBytes: 50, wasmHeapBytes: 2000 });
    expect(page).toEqual([{ type: 'memory', requestId: 9, numTensors: 15, numBytes: 150, wasmHeapBytes: 3000 }]);
    m.fromPage({ type: 'memory', requestId: 10, runId: 1 });
    const failed: FromWorker = { type: 'failed', requestId: 10, message: 'replaced' };
    m.fromWorker(0, failed);
    m.fromWorker(1, { type: 'memory', requestId: 10, numTensors: 5, numBytes: 50, wasmHeapBytes: null });
    expect(page.slice(1)).toEqual([failed]);
  });

  it('drops what a replaced run still says', () => {
    const { m, page } = setup(2);
    m.create({ type: 'create', runId: 2, run: RUN }, 2, 2);
    created(m, 0);
    created(m, 1);
    progress(m, 0, [1]);
    progress(m, 1, [1]);
    expect(page).toEqual([]);
  });
});
