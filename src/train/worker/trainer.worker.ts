/// <reference lib="webworker" />
// The training worker: owns the tfjs backend and one engine (a run's arms).
// The page talks to it only through the messages in contract/messages.ts.
//
// One loop (`pump`) does everything that changes the model, one thing at a
// time: the queued messages first (init, create, dispose, step; see opQueue.ts,
// where a newer create supersedes older ones still waiting), then, while
// training, the next chunk of steps. Train and pause only flip a flag. Queries
// only read the model and interleave with the loop; each gets exactly one reply,
// its answer or `failed`, and one about another run, or asked while the model
// is being replaced, is refused at once.
import * as tf from '@tensorflow/tfjs-core';
import { fastest, describeTrials, modelKey } from './autoChoice';
import { recalled, remember, timeBackend } from './autoTrial';
import { kernelReport, prepareWasmHeap, startBackend, tryStart } from './backendSelect';
import { forceKernelLevel } from '../../models/kernels/runtime';
import { forceKernelThreads, setHelperSpawner } from '../../models/kernels/threads';
import { enqueue, isQueued, replacesModel, type QueuedOp } from './opQueue';
import { createEngine, prefetchData, type AnyEngine } from '../createEngine';
import { setCorpusProgressListener } from '../data/corpus';
import {
  shardProblems,
  shardRun,
  validateRun,
  type BackendName,
  type EvalPoint,
  type FromWorker,
  type QueryMessage,
  type StepPoint,
  type ToWorker,
} from '../contract';
import { fillBlanks, trainingExamples } from '../tasks/bertQueries';
import { reconstruct } from '../tasks/encdec';
import { gradientHistogram, optimizerMatrix, sampleText, scoreText } from '../tasks/gptQueries';

declare const self: DedicatedWorkerGlobalScope;

// The kernels' second thread, a nested worker (started only when the page is cross-origin isolated).
setHelperSpawner(
  () => new Worker(new URL('./kernelHelper.worker.ts', import.meta.url), { type: 'module', name: 'kernel helper' }),
);

let engine: AnyEngine | null = null;
/** The run `engine` was built for (ToWorker create's runId). */
let engineRunId: number | null = null;
let running = false;
/** init's `threads`: 1 when the page capped the kernels at one thread (`?threads=1`, or a spread run's later workers). */
let threadCap: 1 | null = null;
/** While running, train up to this step and then wait for a higher one (ToWorker train's `until`). */
let limit = Infinity;
let backendName = 'cpu';
/** `auto` with a GPU candidate: the backends to time on each new model shape (empty: nothing to choose). */
let candidates: BackendName[] = [];
/** Model shapes this worker has chosen a backend for, and the choice. */
const chosen = new Map<string, BackendName>();
/** Queued messages not yet started, and the one being handled. */
let waiting: QueuedOp[] = [];
let current: QueuedOp | null = null;
let pumping = false;
/** The training chunk in flight, awaited by pause so "paused" follows its progress. */
let chunk: Promise<boolean> | null = null;
/** Queries that read the model, awaited before it is freed (and by memory reports). */
const reads = new Set<Promise<void>>();

/** Bytes of the wasm backend's linear memory (it only grows), or null on other backends. */
function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? heap.byteLength : null;
}

function post(msg: FromWorker) {
  self.postMessage(msg);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// A MessageChannel hop yields to the event loop without setTimeout's 4 ms clamp,
// so 'pause' is seen between chunks at almost no cost.
const channel = new MessageChannel();
const waiters: (() => void)[] = [];
channel.port1.onmessage = () => waiters.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    waiters.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** GPU backends queue work, so read losses back in larger chunks there. */
function chunkSize(): number {
  return backendName === 'webgl' || backendName === 'webgpu' ? 4 : 1;
}

/**
 * A part of a spread run keeps its kernels on one thread: the cores train the
 * other parts, and arms divide the work better than a helper splitting this
 * worker's small kernels (README, Benchmarks). A whole run gets the helper
 * back where the page allows it.
 */
function kernelThreadsFor(part: boolean) {
  forceKernelThreads(part ? 1 : threadCap);
  if (!part) kernelReport(backendName as BackendName);
}

/** Steps from `e`'s current step to its next evaluation (1 to evalEvery). */
function stepsToEval(e: AnyEngine): number {
  return e.run.evalEvery - (e.step % e.run.evalEvery);
}

/** Whether the model is about to be replaced or freed (a create or dispose is waiting or under way). */
function replacing(): boolean {
  return replacesModel(current) || waiting.some(replacesModel);
}

async function runChunk(s: AnyEngine, runId: number, count: number): Promise<boolean> {
  const points: StepPoint[] = await s.trainSteps(count);
  const evals: EvalPoint[] = [];
  const bad = points.find((p) => s.isDiverged(p));
  if (!bad && points.some((p) => p.step % s.run.evalEvery === 0)) evals.push(await s.evaluate());
  post({
    type: 'progress',
    runId,
    // The trainer's curve ends before a non-finite loss; a part without the
    // reference arm (whose `loss` is not the trainer's) keeps the step, as one worker would.
    points: bad ? points.filter((p) => p.step <= bad.step && (Number.isFinite(p.loss) || !s.holdsReference)) : points,
    evals,
  });
  if (bad) {
    running = false;
    post({ type: 'state', runId, running: false });
    post({
      type: 'diverged',
      runId,
      step: bad.step,
      message: `Training diverged at step ${bad.step}: the loss ${Number.isFinite(bad.loss) ? `rose to ${bad.loss.toFixed(1)}, far above the untrained model's` : `became ${bad.loss}`}. The curve so far is kept. Lower the learning rate, then press Reset.`,
    });
    return false;
  }
  return true;
}

/**
 * `auto` by measurement: the first time this worker builds a model shape, the
 * fastest candidate on it (timed now, or remembered from an earlier visit)
 * becomes the backend, and the page hears each candidate's time.
 */
async function chooseBackend(run: Parameters<typeof createEngine>[0]): Promise<void> {
  const key = modelKey(run);
  const known = chosen.get(key);
  if (known !== undefined) {
    if (known !== backendName && (await tryStart(known)) === null) backendName = known;
    return;
  }
  const earlier = await recalled(key);
  const trials = earlier ?? [];
  if (!earlier) {
    for (const name of candidates) trials.push(await timeBackend(run, name));
    void remember(key, trials);
  }
  let best = fastest(trials);
  // The winner failed to start again (a lost GPU): wasm, which always starts.
  if ((await tryStart(best)) !== null) {
    best = 'wasm';
    await tryStart(best);
  }
  backendName = best;
  chosen.set(key, best);
  const reason = describeTrials(trials, best, earlier !== null);
  post({ type: 'backend', backend: { name: best, reason, trials, ...kernelReport(best) } });
}

/** Frees the model once the queries reading it have answered. */
async function dropEngine() {
  running = false;
  await Promise.all(reads);
  engine?.dispose();
  engine = null;
  engineRunId = null;
}

async function handle(op: QueuedOp): Promise<void> {
  switch (op.type) {
    case 'init': {
      forceKernelLevel(op.kernels ?? null);
      threadCap = op.threads ?? null;
      forceKernelThreads(threadCap);
      prepareWasmHeap();
      const { candidates: toTime, ...report } = await startBackend(op.backend, op.trialSoftware);
      backendName = report.name;
      candidates = toTime ?? [];
      post({ type: 'ready', backend: report });
      return;
    }
    case 'create': {
      await dropEngine();
      // A run from a broken or stale link is refused before anything is built.
      const problems = validateRun(op.run);
      if (problems.length === 0 && op.arms) problems.push(...shardProblems(op.run, op.arms));
      if (problems.length > 0) {
        post({
          type: 'error',
          runId: op.runId,
          during: 'create',
          message: `This run cannot be trained: ${problems.join('; ')}.`,
        });
        return;
      }
      // The corpus download's progress, for the card's "Loading the corpus: 1.2 of 6.1 MB".
      setCorpusProgressListener(({ loaded, total }) =>
        post({ type: 'loading', runId: op.runId, what: 'corpus', loaded, total }),
      );
      let built: AnyEngine;
      try {
        // `auto` times its candidates on a whole run only: a part of a spread
        // run stays on the CPU backend the page spread it for, as its other parts do.
        if (candidates.length > 1 && !op.arms) await chooseBackend(op.run);
        // A part of a multi-arm run: only its arms, each as it would train beside all the others.
        const part = op.arms ? shardRun(op.run, op.arms) : { run: op.run, holdsReference: true };
        kernelThreadsFor(op.arms !== undefined);
        built = await createEngine(part.run, { holdsReference: part.holdsReference });
      } finally {
        setCorpusProgressListener(null);
      }
      engine = built;
      engineRunId = op.runId;
      post({
        type: 'created',
        runId: op.runId,
        params: built.paramCount,
        vocabSize: built.vocabSize,
        initial: await built.initialEval(),
      });
      return;
    }
    case 'dispose':
      await dropEngine();
      return;
    case 'step': {
      // A step for a run that has since been replaced is dropped.
      const e = engine;
      if (!e || engineRunId !== op.runId) return;
      if (op.until === undefined) {
        await runChunk(e, op.runId, 1);
        return;
      }
      // Catching up: chunks that end on evaluation steps, until there or diverged.
      while (e.step < op.until) {
        if (!(await runChunk(e, op.runId, Math.min(op.until - e.step, stepsToEval(e))))) return;
      }
      return;
    }
  }
}

/** Reports a failure of `during` for the run it concerned, and stops training. */
function fail(err: unknown, during: ToWorker['type'], runId: number | null) {
  running = false;
  if (runId !== null) post({ type: 'state', runId, running: false });
  post({ type: 'error', runId, message: messageOf(err), during });
}

/** The one loop that changes the model: queued messages first, then training chunks. */
async function pump() {
  try {
    for (;;) {
      const op = waiting.shift();
      if (op) {
        current = op;
        try {
          await handle(op);
        } catch (err) {
          fail(err, op.type, op.type === 'create' ? op.runId : op.type === 'init' ? null : engineRunId);
        } finally {
          current = null;
        }
        continue;
      }
      if (running && engine && engineRunId !== null && engine.step < limit) {
        const runId = engineRunId;
        // A chunk ends at the next evaluation step, so evaluations fall on
        // multiples of evalEvery whatever the chunk size (and on the same
        // steps in every worker of a run spread over several).
        chunk = runChunk(engine, runId, Math.min(chunkSize(), stepsToEval(engine), limit - engine.step));
        try {
          await chunk;
        } catch (err) {
          fail(err, 'train', runId);
        } finally {
          chunk = null;
        }
        await yieldToEvents();
        continue;
      }
      return;
    }
  } finally {
    pumping = false;
  }
}

function kick() {
  if (pumping) return;
  pumping = true;
  void pump();
}

async function control(msg: Extract<ToWorker, { type: 'train' | 'pause' }>): Promise<void> {
  if (msg.type === 'train') {
    if (running) {
      // Training already: a newer limit for the same run (a spread run's workers get more steps as the slowest advances).
      if (msg.runId === engineRunId) {
        limit = msg.until ?? Infinity;
        kick();
      }
      return;
    }
    // Only the run the page means, and only once it is built and staying.
    if (!engine || engineRunId !== msg.runId || replacing()) {
      post({ type: 'state', runId: msg.runId, running: false });
      return;
    }
    running = true;
    limit = msg.until ?? Infinity;
    post({ type: 'state', runId: msg.runId, running: true });
    kick();
    return;
  }
  if (!running) return;
  running = false;
  const runId = engineRunId;
  // Report "paused" once the chunk in flight has landed, so the step count
  // shown at that moment is final.
  await chunk?.catch(() => undefined);
  if (runId !== null) post({ type: 'state', runId, running: false });
}

/** Thrown for a query the worker will not answer; its message is the reply. */
class Refusal extends Error {}

/** The model a query about run `runId` may read, of the task it needs. */
function modelFor<K extends AnyEngine['kind']>(msg: QueryMessage, kind: K): Extract<AnyEngine, { kind: K }> {
  if (!engine || replacing())
    throw new Refusal('The model is being prepared; it will be asked again once it is ready.');
  if (engineRunId !== msg.runId) throw new Refusal('That question was about a run that has since been replaced.');
  if (engine.kind !== kind) throw new Refusal(`A ${engine.kind} run cannot answer '${msg.type}'.`);
  return engine as Extract<AnyEngine, { kind: K }>;
}

async function answer(msg: QueryMessage): Promise<FromWorker> {
  const requestId = msg.requestId;
  switch (msg.type) {
    case 'sample':
      return {
        type: 'sample',
        requestId,
        text: await sampleText(modelFor(msg, 'gpt'), msg.prompt, msg.length, msg.temperature, msg.seed),
      };
    case 'score':
      return { type: 'score', requestId, ...(await scoreText(modelFor(msg, 'gpt'), msg.text)) };
    case 'matrix':
      return {
        type: 'matrix',
        requestId,
        ...(await optimizerMatrix(modelFor(msg, 'gpt'), msg.arm, msg.name, msg.what)),
      };
    case 'gradients':
      return { type: 'gradients', requestId, ...(await gradientHistogram(modelFor(msg, 'gpt'), msg.arm)) };
    case 'fill':
      return { type: 'fill', requestId, ...(await fillBlanks(modelFor(msg, 'bert'), msg.text, msg.arm)) };
    case 'examples':
      return { type: 'examples', requestId, examples: trainingExamples(modelFor(msg, 'bert'), msg.count, msg.seed) };
    case 'reconstruct':
      return {
        type: 'reconstruct',
        requestId,
        reconstructions: await reconstruct(modelFor(msg, 'encdec'), msg.count, msg.arm),
      };
    case 'memory': {
      // Reported at rest: a sample or reconstruction in flight holds tensors
      // for a moment, which would make the count jump for no real reason.
      await Promise.all(reads);
      const m = tf.memory();
      return {
        type: 'memory',
        requestId,
        numTensors: m.numTensors,
        numBytes: m.numBytes,
        wasmHeapBytes: wasmHeapBytes(),
      };
    }
  }
}

/** Answers `msg` exactly once: its answer, or `failed` with why not. */
async function reply(msg: QueryMessage): Promise<void> {
  try {
    post(await answer(msg));
  } catch (err) {
    post({ type: 'failed', requestId: msg.requestId, message: messageOf(err) });
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (isQueued(msg)) {
    // The run's data starts loading now, while earlier messages (the backend's start) are handled;
    // a failure is reported by the create itself.
    if (msg.type === 'create' && validateRun(msg.run).length === 0) prefetchData(msg.run).catch(() => {});
    waiting = enqueue(waiting, msg).waiting;
    kick();
    return;
  }
  if (msg.type === 'train' || msg.type === 'pause') {
    control(msg).catch((err) => fail(err, msg.type, engineRunId));
    return;
  }
  const done = reply(msg);
  if (msg.type !== 'memory') {
    reads.add(done);
    void done.finally(() => reads.delete(done));
  }
};
