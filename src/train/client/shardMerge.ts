// The page's side of a multi-arm run spread over training workers: it hands
// each worker its part of the run (contract/shards.ts) and turns what they say
// back into the messages one worker would have sent, so useTrainer and every
// view above it see one run. Pure: no React, no Worker, unit tested in Node.
//
// The workers train on their own, each at its own pace. A step reaches the
// page once every worker has reported it (its arms' numbers put back at their
// places, the trainer's numbers from the worker with the reference arm). When
// they stop (a pause, a divergence, an error) they are brought to the same
// step before the page hears "paused": the laggards take the missing steps.
// With one worker the merger steps aside and passes messages through.
import {
  planShards,
  type ArmMetrics,
  type EvalPoint,
  type FromWorker,
  type StepPoint,
  type ToWorker,
} from '../contract';

type CreateMessage = Extract<ToWorker, { type: 'create' }>;
type Created = Extract<FromWorker, { type: 'created' }>;
type Diverged = Extract<FromWorker, { type: 'diverged' }>;
type MemoryAnswer = Extract<FromWorker, { type: 'memory' }>;

/**
 * How many steps past the page's last merged step a worker may train. A
 * worker with cheap arms (say, all of them dropped) would otherwise run
 * thousands of steps ahead, and a pause would wait for the others to catch up.
 */
export const STEP_WINDOW = 16;

export interface ShardPorts {
  /** A message for the page, as one worker would have sent it. */
  emit(msg: FromWorker): void;
  /** A message for worker `index`. */
  send(index: number, msg: ToWorker): void;
}

/** One worker's part of the current run. */
interface Part {
  arms: number[];
  created: Created | null;
  /** Steps reported and not yet merged, in order. */
  points: StepPoint[];
  evals: Map<number, EvalPoint>;
  /** The last step it reported (0 before any). */
  lastStep: number;
  running: boolean;
  /** It diverged (its own arms' verdict): it is not asked for more steps. */
  stopped: boolean;
}

/** A memory question asked of every worker: the answers so far, summed when the last comes. */
interface MemorySum {
  left: number;
  failed: boolean;
  numTensors: number;
  numBytes: number;
  wasmHeapBytes: number | null;
}

export class ShardMerger {
  private runId = 0;
  private parts: Part[] = [];
  /** Workers the fleet has (the parts use the first parts.length of them). */
  private workers = 1;
  /** Whether the page heard "running" last (so it hears "paused" exactly once after). */
  private shownRunning = false;
  /** The page pressed Train and has not paused since (the run trains unless it stops by itself). */
  private wanted = false;
  /** The run failed (an error): nothing more is merged. */
  private failed = false;
  /** The earliest divergence a worker reported; the run ends there. */
  private diverged: Diverged | null = null;
  /** The page has heard the divergence: the run is over. */
  private over = false;
  /** Merged: the last step the page has. */
  private merged = 0;
  private lastEval = 0;
  /** The step the workers may train up to now (train's `until`). */
  private granted = 0;
  private readonly memory = new Map<number, MemorySum>();

  constructor(private readonly ports: ShardPorts) {}

  /** Workers the current run is spread over (1: pass-through). */
  get spread(): number {
    return Math.max(1, this.parts.length);
  }

  /**
   * Sends run `msg.runId` to `spreadOver` workers (each its part; one: the
   * message as it is) and frees the models of the fleet's other `workers`.
   */
  create(msg: CreateMessage, spreadOver: number, workers: number) {
    this.runId = msg.runId;
    this.workers = workers;
    const plan = spreadOver > 1 ? planShards(msg.run, spreadOver) : [msg.run.arms.map((_, i) => i)];
    this.parts = plan.map((arms) => ({
      arms,
      created: null,
      points: [],
      evals: new Map(),
      lastStep: 0,
      running: false,
      stopped: false,
    }));
    this.shownRunning = this.wanted = this.failed = this.over = false;
    this.diverged = null;
    this.merged = this.lastEval = this.granted = 0;
    plan.forEach((arms, i) => this.ports.send(i, plan.length === 1 ? msg : { ...msg, arms }));
    for (let i = plan.length; i < workers; i++) this.ports.send(i, { type: 'dispose' });
  }

  /** A message from the page (create goes through `create`). */
  fromPage(msg: Exclude<ToWorker, CreateMessage>) {
    if (this.parts.length <= 1) {
      if (msg.type === 'dispose') this.toAll(msg, this.workers);
      else this.ports.send(0, msg);
      return;
    }
    switch (msg.type) {
      case 'init':
        return;
      case 'dispose':
        this.toAll(msg, this.workers);
        return;
      case 'train':
      case 'step':
        // Only a built run that is still on; the workers refuse other runs themselves.
        if (msg.runId !== this.runId || !this.allCreated() || this.failed || this.diverged) {
          if (msg.type === 'train') this.ports.emit({ type: 'state', runId: msg.runId, running: false });
          return;
        }
        if (msg.type === 'step') {
          this.toAll(msg);
          return;
        }
        this.wanted = true;
        this.granted = this.merged + STEP_WINDOW;
        this.toAll({ ...msg, until: this.granted });
        return;
      case 'pause':
        this.wanted = false;
        this.toAll(msg);
        return;
      case 'memory':
        // The whole run's memory: every worker's, summed.
        this.memory.set(msg.requestId, {
          left: this.parts.length,
          failed: false,
          numTensors: 0,
          numBytes: 0,
          wasmHeapBytes: null,
        });
        this.toAll(msg);
        return;
      default: {
        // A question about one arm goes to the worker that trains it, naming the
        // arm by its place there; the others go to the reference arm's worker.
        if ('arm' in msg) {
          const at = this.parts.findIndex((p) => p.arms.includes(msg.arm));
          if (at >= 0) {
            this.ports.send(at, { ...msg, arm: this.parts[at].arms.indexOf(msg.arm) });
            return;
          }
        }
        this.ports.send(0, msg);
      }
    }
  }

  /** A message from worker `index`. */
  fromWorker(index: number, msg: FromWorker) {
    if (this.parts.length <= 1) {
      if (index === 0) this.ports.emit(msg);
      return;
    }
    if (msg.type === 'ready') return;
    if (msg.type === 'backend') {
      if (index === 0) this.ports.emit(msg);
      return;
    }
    if ('requestId' in msg) {
      this.answer(msg);
      return;
    }
    if (msg.runId === null) {
      this.ports.emit(msg);
      return;
    }
    const part = this.parts[index];
    if (msg.runId !== this.runId || !part) return;
    switch (msg.type) {
      case 'loading':
        if (index === 0) this.ports.emit(msg);
        return;
      case 'created':
        part.created = msg;
        if (this.allCreated()) this.ports.emit(this.mergedCreated());
        return;
      case 'progress':
        part.points.push(...msg.points);
        part.lastStep = msg.points.at(-1)?.step ?? part.lastStep;
        for (const e of msg.evals) part.evals.set(e.step, e);
        this.flush();
        this.settle();
        return;
      case 'state':
        part.running = msg.running;
        if (msg.running && !this.shownRunning && this.wanted) {
          this.shownRunning = true;
          this.ports.emit(msg);
        }
        this.settle();
        return;
      case 'diverged':
        part.stopped = true;
        if (!this.diverged || msg.step < this.diverged.step) this.diverged = msg;
        this.wanted = false;
        this.toAll({ type: 'pause' });
        this.settle();
        return;
      case 'error':
        if (this.failed) return;
        this.failed = true;
        this.wanted = false;
        this.toAll({ type: 'pause' });
        this.flush();
        if (this.shownRunning) {
          this.shownRunning = false;
          this.ports.emit({ type: 'state', runId: this.runId, running: false });
        }
        this.ports.emit(msg);
        return;
    }
  }

  private toAll(msg: ToWorker, count = this.parts.length) {
    for (let i = 0; i < count; i++) this.ports.send(i, msg);
  }

  private allCreated(): boolean {
    return this.parts.every((p) => p.created !== null);
  }

  /** Each part's per-arm numbers put back at the arms' places in the run. */
  private scatter(each: (p: Part, index: number) => ArmMetrics[] | undefined): ArmMetrics[] {
    const out: ArmMetrics[] = [];
    this.parts.forEach((p, i) => p.arms.forEach((arm, local) => (out[arm] = each(p, i)?.[local] ?? {})));
    return out;
  }

  private mergedCreated(): Created {
    const ref = this.parts[0].created!;
    const initial = this.mergedEval((p) => p.created!.initial);
    return { ...ref, initial };
  }

  private mergedEval(of: (p: Part) => EvalPoint): EvalPoint {
    const ref = of(this.parts[0]);
    return { ...ref, arms: this.scatter((p) => of(p).arms) };
  }

  /** The last step every part has, capped at a divergence's step. */
  private complete(): number {
    const all = Math.min(...this.parts.map((p) => p.lastStep));
    return this.diverged ? Math.min(all, this.diverged.step) : all;
  }

  /** Sends the page every step (and evaluation) all parts have reported and it has not had. */
  private flush() {
    const upTo = this.complete();
    const points: StepPoint[] = [];
    for (let step = this.merged + 1; step <= upTo; step++) {
      const found = this.parts.map((p) => {
        while (p.points.length > 0 && p.points[0].step < step) p.points.shift();
        return p.points[0]?.step === step ? p.points.shift()! : null;
      });
      // A step a part skipped (its chunk cut at a non-finite loss) ends the merged curve there.
      if (found.some((p) => p === null)) break;
      const here = found as StepPoint[];
      points.push({
        ...here[0],
        // The run advances as fast as its slowest worker.
        tokensPerSecond: Math.min(...here.map((p) => p.tokensPerSecond)),
        stepMs: Math.max(...here.map((p) => p.stepMs)),
        arms: this.scatter((_, i) => here[i].arms),
      });
      this.merged = step;
    }
    const evals: EvalPoint[] = [];
    const steps = [...this.parts[0].evals.keys()].sort((a, b) => a - b);
    for (const step of steps) {
      if (step > this.merged || step <= this.lastEval) continue;
      if (!this.parts.every((p) => p.evals.has(step))) continue;
      evals.push(this.mergedEval((p) => p.evals.get(step)!));
      this.lastEval = step;
    }
    for (const p of this.parts) for (const step of [...p.evals.keys()]) if (step <= this.lastEval) p.evals.delete(step);
    if (points.length > 0 || evals.length > 0) this.ports.emit({ type: 'progress', runId: this.runId, points, evals });
    this.grant();
  }

  /**
   * While the run trains, the workers' limit moves on with the merged step.
   * Only to workers training now: one that has stopped (a divergence of its
   * own) is not started again by it.
   */
  private grant() {
    if (!this.wanted || this.diverged || this.failed) return;
    if (this.merged + STEP_WINDOW / 2 <= this.granted) return;
    this.granted = this.merged + STEP_WINDOW;
    this.parts.forEach((p, i) => {
      if (p.running) this.ports.send(i, { type: 'train', runId: this.runId, until: this.granted });
    });
  }

  /**
   * Once every worker has stopped: the laggards are asked to step up to the
   * furthest one (to a divergence's step, after one), and when all are there
   * the page hears "paused" (and, after a divergence, why). Asking is
   * idempotent (step `until`), so asking again on every report is safe.
   */
  private settle() {
    if (this.failed || this.over) return;
    if (this.wanted && !this.diverged) return;
    if (this.parts.some((p) => p.running)) return;
    const target = this.diverged ? this.diverged.step : Math.max(...this.parts.map((p) => p.lastStep));
    const behind = this.parts.filter((p) => !p.stopped && p.lastStep < target);
    for (const p of behind) this.ports.send(this.parts.indexOf(p), { type: 'step', runId: this.runId, until: target });
    if (behind.length > 0) return;
    this.flush();
    if (this.shownRunning) {
      this.shownRunning = false;
      this.ports.emit({ type: 'state', runId: this.runId, running: false });
    }
    if (this.diverged) {
      this.over = true;
      this.ports.emit(this.diverged);
    }
  }

  private answer(msg: Extract<FromWorker, { requestId: number }>) {
    const sum = this.memory.get(msg.requestId);
    if (!sum) {
      this.ports.emit(msg);
      return;
    }
    sum.left -= 1;
    if (sum.left <= 0) this.memory.delete(msg.requestId);
    if (sum.failed) return;
    if (msg.type !== 'memory') {
      // One worker could not answer: the question fails, once; the others' answers are dropped.
      sum.failed = true;
      this.ports.emit(msg);
      return;
    }
    sum.numTensors += msg.numTensors;
    sum.numBytes += msg.numBytes;
    if (msg.wasmHeapBytes !== null) sum.wasmHeapBytes = (sum.wasmHeapBytes ?? 0) + msg.wasmHeapBytes;
    if (sum.left > 0) return;
    const { numTensors, numBytes, wasmHeapBytes } = sum;
    const answer: MemoryAnswer = { type: 'memory', requestId: msg.requestId, numTensors, numBytes, wasmHeapBytes };
    this.ports.emit(answer);
  }
}
