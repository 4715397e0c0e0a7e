import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromWorker, StepPoint } from '../contract';
import {
  addProgress,
  applyRunMessage,
  askRebuild,
  FRESH_GATE,
  INITIAL,
  newWorker,
  PendingRequests,
  receive,
  restart,
  type RunGate,
  type TrainerState,
} from './trainerState';

const point = (step: number): StepPoint => ({
  step,
  loss: 1,
  lr: 0,
  gradNorm: 0,
  tokensSeen: 0,
  tokensPerSecond: 0,
  stepMs: 0,
});
const created = (runId: number): FromWorker => ({
  type: 'created',
  runId,
  params: 1,
  vocabSize: 2,
  initial: { step: 0, heldOutLoss: 3 },
});
const progress = (runId: number, ...steps: number[]): FromWorker => ({
  type: 'progress',
  runId,
  points: steps.map(point),
  evals: [],
});

/**
 * The page and a worker that answers each create after the page has pressed
 * Reset `presses` more times: what the page sends, and what it shows.
 */
class Page {
  gate: RunGate = FRESH_GATE;
  state: TrainerState = INITIAL;
  sent: number[] = [];
  reset() {
    this.state = restart(this.state);
    const next = askRebuild(this.gate);
    this.gate = next.gate;
    if (next.send !== null) this.sent.push(next.send);
  }
  deliver(msg: FromWorker) {
    const v = receive(this.gate, msg);
    this.gate = v.gate;
    if (v.send !== null) this.sent.push(v.send);
    if (!v.apply) return;
    this.state =
      msg.type === 'progress' ? addProgress(this.state, msg.points, msg.evals) : applyRunMessage(this.state, msg);
  }
}

describe('the run gate', () => {
  it('Resets while a model is being built collapse into one rebuild, sent when it lands', () => {
    const page = new Page();
    page.reset();
    expect(page.sent).toEqual([1]);
    for (let i = 0; i < 60; i++) page.reset();
    expect(page.sent).toEqual([1]);
    expect(page.state.phase).toBe('starting');
    // Run 1 lands: it is out of date, so the page builds run 2 instead of showing it.
    page.deliver(created(1));
    expect(page.sent).toEqual([1, 2]);
    expect(page.state.phase).toBe('starting');
    page.deliver(created(2));
    expect(page.state.phase).toBe('ready');
    expect(page.sent).toEqual([1, 2]);
  });

  it('a refused build lands too, and a queued rebuild follows it', () => {
    const page = new Page();
    page.reset();
    page.reset();
    page.deliver({ type: 'error', runId: 1, during: 'create', message: 'no' });
    expect(page.sent).toEqual([1, 2]);
    expect(page.state.phase).toBe('starting');
  });

  it("a replaced run's progress never lands in the new curve; the step counter never goes back", () => {
    const page = new Page();
    page.reset();
    page.deliver(created(1));
    page.deliver(progress(1, 1, 2, 3));
    expect(page.state.points.at(-1)?.step).toBe(3);
    page.reset();
    // The old run's last chunks arrive after the Reset, before the new model.
    page.deliver(progress(1, 4, 5));
    page.deliver({ type: 'state', runId: 1, running: false });
    expect(page.state.points).toEqual([]);
    expect(page.state.phase).toBe('starting');
    page.deliver(created(2));
    page.deliver(progress(2, 1, 2));
    page.deliver(progress(1, 117));
    expect(page.state.points.map((p) => p.step)).toEqual([1, 2]);
  });

  it('messages about no run (the backend failing to start) apply', () => {
    expect(receive(FRESH_GATE, { type: 'error', runId: null, during: 'init', message: 'x' }).apply).toBe(true);
  });

  it('a new worker forgets the build in the old one, and run ids go on counting', () => {
    const building = askRebuild(askRebuild(FRESH_GATE).gate).gate;
    expect(building).toEqual({ runId: 1, building: true, queued: true });
    const fresh = newWorker(building);
    expect(askRebuild(fresh)).toEqual({ gate: { runId: 2, building: true, queued: false }, send: 2 });
  });

  it('generations only go up', () => {
    const s = restart(restart({ ...INITIAL, generation: 5 }));
    expect(s.generation).toBe(7);
  });
});

describe('applying run messages', () => {
  const ready: TrainerState = { ...INITIAL, phase: 'ready' };
  it('state moves between ready and running, but not out of starting, diverged or error', () => {
    expect(applyRunMessage(ready, { type: 'state', runId: 1, running: true }).phase).toBe('running');
    for (const phase of ['starting', 'diverged', 'error'] as const)
      expect(applyRunMessage({ ...INITIAL, phase }, { type: 'state', runId: 1, running: true }).phase).toBe(phase);
  });
  it('created starts the curve at the untrained evaluation', () => {
    const s = applyRunMessage(INITIAL, created(1));
    expect(s).toMatchObject({ phase: 'ready', params: 1, evals: [{ step: 0, heldOutLoss: 3 }] });
  });
  it('the corpus download shows while the run is built, and is gone once it lands or fails', () => {
    const loading = { type: 'loading', runId: 1, what: 'corpus', loaded: 1.2e6, total: 6.1e6 } as const;
    const s = applyRunMessage(INITIAL, loading);
    expect(s.loading).toEqual({ loaded: 1.2e6, total: 6.1e6 });
    expect(applyRunMessage(s, created(1)).loading).toBeNull();
    expect(applyRunMessage(s, { type: 'error', runId: 1, message: 'no', during: 'create' }).loading).toBeNull();
    // A late report once the run is built changes nothing.
    expect(applyRunMessage(ready, loading)).toBe(ready);
    expect(restart(s).loading).toBeNull();
  });
  it('progress that does not follow the curve is dropped', () => {
    const s = addProgress(ready, [point(1), point(2)], [{ step: 0, heldOutLoss: 1 }]);
    expect(addProgress(s, [point(2), point(1)], [])).toBe(s);
    expect(addProgress(s, [point(1), point(3)], []).points.map((p) => p.step)).toEqual([1, 2, 3]);
  });
});

describe('pending requests', () => {
  afterEach(() => vi.useRealTimers());

  it('an answer resolves, failed rejects with its message, and a late answer is dropped', async () => {
    const p = new PendingRequests();
    const a = p.open('sample');
    const b = p.open('fill');
    expect(p.settle({ type: 'sample', requestId: a.requestId, text: 'hi' })).toBe(true);
    expect(p.settle({ type: 'failed', requestId: b.requestId, message: 'A gpt run cannot answer fill.' })).toBe(true);
    await expect(a.reply).resolves.toMatchObject({ text: 'hi' });
    await expect(b.reply).rejects.toThrow('cannot answer fill');
    expect(p.settle({ type: 'sample', requestId: a.requestId, text: 'again' })).toBe(false);
    expect(p.size).toBe(0);
  });

  it('a reset, a backend switch or unmounting rejects every request still waiting', async () => {
    const p = new PendingRequests();
    const replies = [p.open('sample').reply, p.open('score').reply];
    p.rejectAll('Cancelled: the backend changed.');
    for (const r of replies) await expect(r).rejects.toThrow('backend changed');
    expect(p.size).toBe(0);
  });

  it('a request with no reply fails after the timeout', async () => {
    vi.useFakeTimers();
    const p = new PendingRequests(30_000);
    const { reply } = p.open('matrix');
    const caught = reply.catch((e: Error) => e.message);
    vi.advanceTimersByTime(29_999);
    expect(p.size).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await caught).toMatch(/did not answer \(matrix\) within 30 s/);
    expect(p.size).toBe(0);
  });
});
