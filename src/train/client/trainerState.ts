// The pure part of useTrainer: which run the page shows and whether a worker
// message belongs to it (the run gate), how a run's messages change the
// trainer's state, and the queries waiting for their one reply. No React, no
// worker: unit tested in Node.
import type { BackendReport, EvalPoint, FromWorker, RunMessage, StepPoint } from '../contract';

export type TrainerPhase = 'starting' | 'ready' | 'running' | 'diverged' | 'error';

export interface TrainerState {
  /** 'starting' until the worker has built the page's current run; 'ready' means it can train it now. */
  phase: TrainerPhase;
  backend: BackendReport | null;
  points: StepPoint[];
  evals: EvalPoint[];
  params: number | null;
  vocabSize: number | null;
  message: string | null;
  /** While the run is being built: how much of the corpus has downloaded (bytes; total null until known). */
  loading: { loaded: number; total: number | null } | null;
  /**
   * Bumped on every Reset and every new run spec, never reset (not by a
   * backend switch either), so views can tell answers about this run from
   * those about an earlier one.
   */
  generation: number;
}

export const INITIAL: TrainerState = {
  phase: 'starting',
  backend: null,
  points: [],
  evals: [],
  params: null,
  vocabSize: null,
  message: null,
  loading: null,
  generation: 0,
};

/**
 * The page's side of run identity. `runId` is the last run sent to the worker
 * with `create`; only messages about it are applied. While it is being built
 * (`building`), further rebuilds (Reset, R, a new spec) collapse into one
 * (`queued`), sent when the build lands, so a storm of presses builds at most
 * two models, not one per press.
 */
export interface RunGate {
  runId: number;
  building: boolean;
  queued: boolean;
}

export const FRESH_GATE: RunGate = { runId: 0, building: false, queued: false };

/** A rebuild is asked for: `send` is the runId to create now, or null when one is queued behind the build. */
export function askRebuild(gate: RunGate): { gate: RunGate; send: number | null } {
  if (gate.building) return { gate: { ...gate, queued: true }, send: null };
  const runId = gate.runId + 1;
  return { gate: { runId, building: true, queued: false }, send: runId };
}

/** A new worker (another backend): nothing is being built in it; run ids go on counting. */
export function newWorker(gate: RunGate): RunGate {
  return { runId: gate.runId, building: false, queued: false };
}

function isRunMessage(msg: FromWorker): msg is RunMessage {
  return 'runId' in msg;
}

/**
 * What to do with a message from the worker: `apply` it to the state (only
 * when it is about the current run, or about no run), and `send` a queued
 * rebuild's runId when the build it waited for has landed.
 */
export function receive(gate: RunGate, msg: FromWorker): { gate: RunGate; apply: boolean; send: number | null } {
  if (!isRunMessage(msg) || msg.runId === null) return { gate, apply: true, send: null };
  if (msg.runId !== gate.runId) return { gate, apply: false, send: null };
  const lands = msg.type === 'created' || (msg.type === 'error' && msg.during === 'create');
  if (!lands || !gate.building) return { gate, apply: !gate.queued, send: null };
  if (gate.queued) {
    // This build is already out of date: build the newer run instead of showing it.
    const runId = gate.runId + 1;
    return { gate: { runId, building: true, queued: false }, apply: false, send: runId };
  }
  return { gate: { ...gate, building: false }, apply: true, send: null };
}

/** The state for a rebuild just asked for: an empty curve, 'starting', the next generation. */
export function restart(s: TrainerState): TrainerState {
  return { ...INITIAL, backend: s.backend, generation: s.generation + 1 };
}

/**
 * A run message (one `receive` said to apply) applied to the state. Progress
 * is buffered by the hook and added with `addProgress`, not here.
 */
export function applyRunMessage(s: TrainerState, msg: FromWorker): TrainerState {
  switch (msg.type) {
    case 'created':
      return {
        ...s,
        phase: 'ready',
        params: msg.params,
        vocabSize: msg.vocabSize,
        // The untrained model's held-out loss starts the curve at step 0.
        evals: [msg.initial],
        message: null,
        loading: null,
      };
    case 'loading':
      // Only while the run is being built; a late report after it has landed is dropped.
      if (s.phase !== 'starting') return s;
      return { ...s, loading: { loaded: msg.loaded, total: msg.total } };
    case 'state':
      if (s.phase === 'diverged' || s.phase === 'error' || s.phase === 'starting') return s;
      return { ...s, phase: msg.running ? 'running' : 'ready' };
    case 'diverged':
      return { ...s, phase: 'diverged', message: msg.message };
    case 'error':
      return { ...s, phase: 'error', message: msg.message, loading: null };
    default:
      return s;
  }
}

/**
 * Buffered progress added to the curve. Points that do not follow the curve's
 * last step (a replaced run's, were one to slip through) are dropped, so the
 * step counter never goes backwards within a run.
 */
export function addProgress(s: TrainerState, points: StepPoint[], evals: EvalPoint[]): TrainerState {
  const lastStep = s.points.at(-1)?.step ?? 0;
  const fresh = points.filter((p) => p.step > lastStep);
  const lastEval = s.evals.at(-1)?.step ?? -1;
  const freshEvals = evals.filter((e) => e.step > lastEval);
  if (fresh.length === 0 && freshEvals.length === 0) return s;
  return { ...s, points: s.points.concat(fresh), evals: s.evals.concat(freshEvals) };
}

/** How long a query may wait for its reply before it is given up as failed. */
export const REQUEST_TIMEOUT_MS = 30_000;

interface Waiting {
  type: string;
  resolve(msg: FromWorker): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The queries sent and not yet answered. Each settles exactly once: with its
 * answer, with the worker's `failed` reply, after `timeoutMs`, or when the
 * page gives up on them all (`rejectAll`: a reset, a new run, another backend,
 * unmounting).
 */
export class PendingRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly timeoutMs = REQUEST_TIMEOUT_MS) {}

  get size(): number {
    return this.waiting.size;
  }

  /** A new request id for a query of `type`, and the promise of its reply. */
  open(type: string): { requestId: number; reply: Promise<FromWorker> } {
    const requestId = this.nextId++;
    const reply = new Promise<FromWorker>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`The training worker did not answer (${type}) within ${this.timeoutMs / 1000} s.`));
      }, this.timeoutMs);
      this.waiting.set(requestId, { type, resolve, reject, timer });
    });
    return { requestId, reply };
  }

  /** Settles the query `msg` answers; false when none waits for it (it was given up). */
  settle(msg: Extract<FromWorker, { requestId: number }>): boolean {
    const w = this.waiting.get(msg.requestId);
    if (!w) return false;
    this.waiting.delete(msg.requestId);
    clearTimeout(w.timer);
    if (msg.type === 'failed') w.reject(new Error(msg.message));
    else w.resolve(msg);
    return true;
  }

  /** Rejects every query still waiting with `reason`. */
  rejectAll(reason: string) {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of all) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
    }
  }
}
