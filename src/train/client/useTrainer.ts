// The one React hook that talks to a training worker. Progress arrives as
// messages; it is buffered and handed to React once per animation frame.
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type {
  BackendChoice,
  BackendReport,
  BertExample,
  EvalPoint,
  FillPrediction,
  FromWorker,
  Reconstruction,
  RunSpec,
  StepPoint,
  TokenScore,
  ToWorker,
} from '../contract';
import { acquireWorker, type TrainerWorker } from './workerPool';

export type TrainerPhase = 'starting' | 'ready' | 'running' | 'diverged' | 'error';

export interface TrainerState {
  phase: TrainerPhase;
  backend: BackendReport | null;
  points: StepPoint[];
  evals: EvalPoint[];
  params: number | null;
  vocabSize: number | null;
  message: string | null;
  /** Bumped on every (re)creation, so views can drop stale samples and scores. */
  generation: number;
}

const INITIAL: TrainerState = {
  phase: 'starting',
  backend: null,
  points: [],
  evals: [],
  params: null,
  vocabSize: null,
  message: null,
  generation: 0,
};

export interface Trainer {
  state: TrainerState;
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

/** The read-only questions a page can ask the worker; each is answered by a message of the same type. */
type QueryType = Extract<ToWorker, { requestId: number }>['type'];
type QueryArgs<K extends QueryType> = Omit<Extract<ToWorker, { type: K }>, 'type' | 'requestId'>;
type Answer<K extends QueryType> = Omit<Extract<FromWorker, { type: K }>, 'type' | 'requestId'>;

type Pending = Map<number, (msg: FromWorker) => void>;

const FLUSH_MS = 250;

/**
 * Runs `run` in a dedicated worker on `backend`. A new run spec re-creates the
 * model (same seed, same result); a new backend starts a new worker. Unmounting
 * frees the session and terminates the worker, which releases all its memory.
 */
export function useTrainer(run: RunSpec | null, backend: BackendChoice): Trainer {
  const [state, setState] = useState<TrainerState>(INITIAL);
  const workerRef = useRef<TrainerWorker | null>(null);
  const pending = useRef<Pending>(new Map());
  const nextId = useRef(1);
  const buffer = useRef<{ points: StepPoint[]; evals: EvalPoint[] }>({ points: [], evals: [] });
  const frame = useRef<number | null>(null);
  const timer = useRef<number | null>(null);
  const lastFlush = useRef(0);
  const runRef = useRef(run);
  runRef.current = run;

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
    const update = () => setState((s) => ({ ...s, points: s.points.concat(points), evals: s.evals.concat(evals) }));
    if (urgent) update();
    else startTransition(update);
  }, []);

  const onMessage = useCallback(
    (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      switch (msg.type) {
        case 'ready':
          return;
        case 'created':
          setState((s) => ({
            ...s,
            phase: 'ready',
            params: msg.params,
            vocabSize: msg.vocabSize,
            // The untrained model's held-out loss starts the curve at step 0.
            evals: [msg.initial],
            message: null,
          }));
          return;
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
        case 'state':
          // Progress posted before this message must show with the new phase.
          flush(true);
          setState((s) =>
            s.phase === 'diverged' || s.phase === 'error' ? s : { ...s, phase: msg.running ? 'running' : 'ready' },
          );
          return;
        case 'diverged':
          flush(true);
          setState((s) => ({ ...s, phase: 'diverged', message: msg.message }));
          return;
        case 'error':
          flush(true);
          setState((s) => ({ ...s, phase: 'error', message: msg.message }));
          return;
        default:
          // An answer to a query: every other message type is handled above.
          pending.current.get(msg.requestId)?.(msg);
          pending.current.delete(msg.requestId);
          return;
      }
    },
    [flush],
  );

  // One worker per backend choice for the life of the component.
  useEffect(() => {
    const w = acquireWorker(backend);
    const requests = pending.current; // one Map for the component's life
    workerRef.current = w;
    w.worker.addEventListener('message', onMessage);
    let alive = true;
    w.ready.then(
      (report) => alive && setState((s) => ({ ...s, backend: report })),
      (err: Error) => alive && setState((s) => ({ ...s, phase: 'error', message: err.message })),
    );
    return () => {
      alive = false;
      w.send({ type: 'dispose' });
      w.worker.removeEventListener('message', onMessage);
      w.worker.terminate();
      workerRef.current = null;
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      if (timer.current !== null) clearTimeout(timer.current);
      frame.current = timer.current = null;
      requests.clear();
      setState(INITIAL);
    };
  }, [backend, onMessage]);

  const create = useCallback(() => {
    const w = workerRef.current;
    const spec = runRef.current;
    if (!w || !spec) return;
    buffer.current = { points: [], evals: [] };
    setState((s) => ({ ...INITIAL, backend: s.backend, generation: s.generation + 1 }));
    w.send({ type: 'create', run: spec });
  }, []);

  const runKey = run ? JSON.stringify(run) : null;
  useEffect(() => {
    if (runKey !== null) create();
  }, [runKey, backend, create]);

  /** Sends query `type` with `args` and resolves with the worker's answer (its fields without type and id). */
  const ask = useCallback(<K extends QueryType>(type: K, args: QueryArgs<K>): Promise<Answer<K>> => {
    return new Promise<Answer<K>>((resolve, reject) => {
      const w = workerRef.current;
      if (!w) return reject(new Error('No training worker'));
      const requestId = nextId.current++;
      pending.current.set(requestId, (m) => {
        const { type: _type, requestId: _id, ...answer } = m as FromWorker & { requestId: number };
        resolve(answer as unknown as Answer<K>);
      });
      w.send({ type, requestId, ...args } as Extract<ToWorker, { type: K }>);
    });
  }, []);

  return {
    state,
    train: useCallback(() => workerRef.current?.send({ type: 'train' }), []),
    pause: useCallback(() => workerRef.current?.send({ type: 'pause' }), []),
    step: useCallback(() => workerRef.current?.send({ type: 'step' }), []),
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
