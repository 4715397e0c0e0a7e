// The one React hook that talks to a training worker. Progress arrives as
// messages; it is buffered and handed to React once per animation frame.
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type {
  BackendChoice,
  BertExample,
  EvalPoint,
  FillPrediction,
  FromWorker,
  QueryMessage,
  Reconstruction,
  RunSpec,
  StepPoint,
  TokenScore,
  ToWorker,
} from '../contract';
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
import { openFleet, type TrainerFleet } from './trainerFleet';

export type { TrainerPhase, TrainerState } from './trainerState';

export interface Trainer {
  state: TrainerState;
  /** The backend the page asked for ('auto' lets the worker choose; state.backend says which it started). */
  backendChoice?: BackendChoice;
  /** The run spec the page hands the worker now (null while the page has none): what a config download writes. */
  run: RunSpec | null;
  train(): void;
  pause(): void;
  step(): void;
  reset(): void;
  sample(prompt: string, length: number, temperature: number, seed: number): Promise<string>;
  score(text: string): Promise<{ tokens: TokenScore[]; total: number }>;
  memory(): Promise<{ numTensors: number; numBytes: number; wasmHeapBytes: number | null }>;
  /** BERT runs: top guesses at each [MASK] of `text` by model `arm`. */
  fill(text: string, arm?: number): Promise<{ tokens: string[]; predictions: FillPrediction[]; error: string | null }>;
  /** BERT runs: training examples as the model sees them, drawn with `seed`. */
  examples(count: number, seed: number): Promise<BertExample[]>;
  /** Encoder-decoder runs: held-out passages and what model `arm` writes for them. */
  reconstruct(count: number, arm: number): Promise<Reconstruction[]>;
  /** Optimiser races: an Adam arm's v, or its effective step, for one weight matrix. */
  matrix(
    arm: number,
    name: string,
    what: 'v' | 'step',
  ): Promise<{ shape: number[]; values: Float32Array | null; step: number }>;
  /** Optimiser races: histogram of an arm's (loss-scaled) gradient magnitudes on a held-out batch. */
  gradients(arm: number): Promise<Answer<'gradients'>>;
}

/** The read-only questions a page can ask the worker; each is answered by a message of the same type, or `failed`. */
type QueryType = QueryMessage['type'];
type QueryArgs<K extends QueryType> = Omit<Extract<QueryMessage, { type: K }>, 'type' | 'requestId' | 'runId'>;
type Answer<K extends QueryType> = Omit<Extract<FromWorker, { type: K }>, 'type' | 'requestId'>;

const FLUSH_MS = 250;

/**
 * Runs `run` in a dedicated worker on `backend` (a multi-arm run, where
 * cores allow, in several: trainerFleet.ts). A new run spec re-creates the
 * model (same seed, same result); a new backend starts a new worker. Unmounting
 * frees the session and terminates the worker, which releases all its memory.
 *
 * Every run sent gets an id (`runId`); messages about any other run are
 * dropped, so a replaced run's last progress never lands in the new curve.
 * Rebuilds asked for while one is being built collapse into one, sent when
 * the build lands. Every query settles: with its answer, the worker's
 * `failed`, a timeout (REQUEST_TIMEOUT_MS), or a rejection when the run is
 * reset or replaced, the backend switched or the trainer unmounted.
 */
export function useTrainer(run: RunSpec | null, backend: BackendChoice): Trainer {
  const [state, setState] = useState<TrainerState>(INITIAL);
  const workerRef = useRef<TrainerFleet | null>(null);
  const pending = useRef(new PendingRequests());
  const gate = useRef<RunGate>(FRESH_GATE);
  const buffer = useRef<{ points: StepPoint[]; evals: EvalPoint[] }>({ points: [], evals: [] });
  const frame = useRef<number | null>(null);
  const timer = useRef<number | null>(null);
  const lastFlush = useRef(0);
  const runRef = useRef(run);
  runRef.current = run;
  /** The spec (JSON) the last create asked for. */
  const askedKey = useRef<string | null>(null);
  const runKey = run ? JSON.stringify(run) : null;
  // A render with a new spec comes before the effect that rebuilds for it:
  // until then the built run is the old one, and Train or Step would start it
  // only for the rebuild to replace it a moment later (a quick Space after a
  // fixed field did exactly that). Such a render shows 'starting' and sends nothing.
  const rebuildDue = runKey !== null && runKey !== askedKey.current;
  const rebuildDueRef = useRef(rebuildDue);
  rebuildDueRef.current = rebuildDue;

  /**
   * Hands buffered progress to React. While training it is a transition, which
   * React renders in slices that yield to input; `urgent` (pause, divergence)
   * renders it together with the phase change that follows.
   */
  const flush = useCallback((urgent = false) => {
    frame.current = null;
    lastFlush.current = performance.now();
    const { points, evals } = buffer.current;
    if (points.length === 0 && evals.length === 0) return;
    buffer.current = { points: [], evals: [] };
    const update = () => setState((s) => addProgress(s, points, evals));
    if (urgent) update();
    else startTransition(update);
  }, []);

  /** Sends run `runId`: the spec as it is now (a queued rebuild builds the latest one). */
  const sendCreate = useCallback((runId: number) => {
    const spec = runRef.current;
    if (spec) workerRef.current?.send({ type: 'create', runId, run: spec });
  }, []);

  const onMessage = useCallback(
    (msg: FromWorker) => {
      if (msg.type === 'ready') return;
      if (msg.type === 'backend') {
        setState((s) => ({ ...s, backend: msg.backend }));
        return;
      }
      if ('requestId' in msg) {
        // An answer to a query (or its failure); one given up on is dropped.
        pending.current.settle(msg);
        return;
      }
      const verdict = receive(gate.current, msg);
      gate.current = verdict.gate;
      if (verdict.send !== null) sendCreate(verdict.send);
      if (!verdict.apply) return;
      switch (msg.type) {
        case 'progress':
          // Also announced as a DOM event, so benchmarks can time steps without UI hooks.
          window.dispatchEvent(new CustomEvent('trainer-progress', { detail: msg.points }));
          buffer.current.points.push(...msg.points);
          buffer.current.evals.push(...msg.evals);
          // Drawn on an animation frame, at most every FLUSH_MS: a chart
          // redraw costs milliseconds, and four a second reads as live.
          if (frame.current === null && timer.current === null) {
            const wait = Math.max(0, lastFlush.current + FLUSH_MS - performance.now());
            timer.current = window.setTimeout(() => {
              timer.current = null;
              frame.current = requestAnimationFrame(() => flush());
            }, wait);
          }
          return;
        case 'created':
        case 'loading':
          setState((s) => applyRunMessage(s, msg));
          return;
        default:
          // state, diverged, error: progress posted before them must show with the new phase.
          flush(true);
          setState((s) => applyRunMessage(s, msg));
          return;
      }
    },
    [flush, sendCreate],
  );

  // One fleet of workers (usually one) per backend choice for the life of the component.
  useEffect(() => {
    const w = openFleet(backend, onMessage);
    const requests = pending.current; // one registry for the component's life
    workerRef.current = w;
    gate.current = newWorker(gate.current);
    let alive = true;
    w.ready.then(
      (report) => alive && setState((s) => ({ ...s, backend: report })),
      (err: Error) => alive && setState((s) => ({ ...s, phase: 'error', message: err.message })),
    );
    return () => {
      alive = false;
      w.close();
      workerRef.current = null;
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      if (timer.current !== null) clearTimeout(timer.current);
      frame.current = timer.current = null;
      buffer.current = { points: [], evals: [] };
      requests.rejectAll('Cancelled: the training worker was closed (another backend, or the page left).');
      // Generations go on counting, so no answer about the old worker's run passes for the new one's.
      setState((s) => ({ ...INITIAL, generation: s.generation }));
    };
  }, [backend, onMessage]);

  const create = useCallback(() => {
    const w = workerRef.current;
    if (!w || !runRef.current) return;
    askedKey.current = JSON.stringify(runRef.current);
    buffer.current = { points: [], evals: [] };
    pending.current.rejectAll('Cancelled: the run was reset or replaced.');
    setState(restart);
    const next = askRebuild(gate.current);
    gate.current = next.gate;
    if (next.send !== null) sendCreate(next.send);
  }, [sendCreate]);

  useEffect(() => {
    if (runKey !== null) create();
  }, [runKey, backend, create]);

  /** Sends query `type` with `args` about the current run; resolves with its answer, rejects with why there is none. */
  const ask = useCallback(<K extends QueryType>(type: K, args: QueryArgs<K>): Promise<Answer<K>> => {
    const w = workerRef.current;
    if (!w) return Promise.reject(new Error('No training worker'));
    const { requestId, reply } = pending.current.open(type);
    w.send({ type, requestId, runId: gate.current.runId, ...args } as Extract<ToWorker, { type: K }>);
    return reply.then((m) => {
      const { type: _type, requestId: _id, ...answer } = m as FromWorker & { requestId: number };
      return answer as unknown as Answer<K>;
    });
  }, []);

  /** Train and Step go only to a built run that stays (the card enables them only then, too). */
  const command = useCallback((type: 'train' | 'step') => {
    const g = gate.current;
    if (rebuildDueRef.current || g.building || g.queued || g.runId === 0) return;
    workerRef.current?.send({ type, runId: g.runId });
  }, []);

  return {
    state: rebuildDue && state.phase === 'ready' ? { ...state, phase: 'starting' } : state,
    backendChoice: backend,
    run,
    train: useCallback(() => command('train'), [command]),
    pause: useCallback(() => workerRef.current?.send({ type: 'pause' }), []),
    step: useCallback(() => command('step'), [command]),
    reset: create,
    sample: useCallback(
      (prompt: string, length: number, temperature: number, seed: number) =>
        ask('sample', { prompt, length, temperature, seed }).then((m) => m.text),
      [ask],
    ),
    score: useCallback((text: string) => ask('score', { text }), [ask]),
    fill: useCallback((text: string, arm = 0) => ask('fill', { text, arm }), [ask]),
    examples: useCallback(
      (count: number, seed: number) => ask('examples', { count, seed }).then((m) => m.examples),
      [ask],
    ),
    reconstruct: useCallback(
      (count: number, arm: number) => ask('reconstruct', { count, arm }).then((m) => m.reconstructions),
      [ask],
    ),
    matrix: useCallback((arm: number, name: string, what: 'v' | 'step') => ask('matrix', { arm, name, what }), [ask]),
    gradients: useCallback((arm: number) => ask('gradients', { arm }), [ask]),
    memory: useCallback(() => ask('memory', {}), [ask]),
  };
}
