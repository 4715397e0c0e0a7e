/// <reference lib="webworker" />
// The training worker: owns the tfjs backend and one engine (a run's arms).
// The page talks to it only through the messages in contract/messages.ts; a
// query goes to the task the run names (run.task), or is ignored by the others.
import * as tf from '@tensorflow/tfjs-core';
import { startBackend } from './backendSelect';
import { createEngine, type AnyEngine } from '../createEngine';
import { validateRun, type EvalPoint, type FromWorker, type StepPoint, type ToWorker } from '../contract';
import { fillBlanks, trainingExamples } from '../tasks/bertQueries';
import { reconstruct } from '../tasks/encdec';
import { gradientHistogram, optimizerMatrix, sampleText, scoreText } from '../tasks/gptQueries';

declare const self: DedicatedWorkerGlobalScope;

let engine: AnyEngine | null = null;
let running = false;
/** The running training loop, awaited before the engine is replaced or freed. */
let loop: Promise<void> = Promise.resolve();
let backendName = 'cpu';
/** Serialises the messages that replace or advance the model (see QUEUED). */
let queue: Promise<void> = Promise.resolve();

/** Bytes of the wasm backend's linear memory (it only grows), or null on other backends. */
function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? heap.byteLength : null;
}

function post(msg: FromWorker) {
  self.postMessage(msg);
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

async function runChunk(s: AnyEngine, count: number): Promise<boolean> {
  const points: StepPoint[] = await s.trainSteps(count);
  const evals: EvalPoint[] = [];
  const bad = points.find((p) => s.isDiverged(p));
  if (!bad && points.some((p) => p.step % s.run.evalEvery === 0)) evals.push(await s.evaluate());
  post({
    type: 'progress',
    points: bad ? points.filter((p) => p.step <= bad.step && Number.isFinite(p.loss)) : points,
    evals,
  });
  if (bad) {
    running = false;
    post({ type: 'state', running: false });
    post({
      type: 'diverged',
      step: bad.step,
      message: `Training diverged at step ${bad.step}: the loss ${Number.isFinite(bad.loss) ? `rose to ${bad.loss.toFixed(1)}, far above the untrained model's` : `became ${bad.loss}`}. The curve so far is kept. Lower the learning rate, then press Reset.`,
    });
    return false;
  }
  return true;
}

async function trainLoop() {
  while (running && engine) {
    const s = engine;
    const ok = await runChunk(s, chunkSize());
    if (!ok || s !== engine) break;
    await yieldToEvents();
  }
}

async function stopLoop() {
  running = false;
  await loop;
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      const report = await startBackend(msg.backend);
      backendName = report.name;
      post({ type: 'ready', backend: report });
      return;
    }
    case 'create': {
      await stopLoop();
      engine?.dispose();
      engine = null;
      // A run from a broken or stale link is refused before anything is built.
      const problems = validateRun(msg.run);
      if (problems.length > 0) {
        post({ type: 'error', during: 'create', message: `This run cannot be trained: ${problems.join('; ')}.` });
        return;
      }
      engine = await createEngine(msg.run);
      post({
        type: 'created',
        params: engine.paramCount,
        vocabSize: engine.vocabSize,
        initial: await engine.initialEval(),
      });
      return;
    }
    case 'dispose':
      await stopLoop();
      engine?.dispose();
      engine = null;
      return;
    case 'step':
      await loop; // a paused loop may still be finishing its chunk
      if (engine && !running) await runChunk(engine, 1);
      return;
    default:
      return handleNow(msg);
  }
}

/**
 * Messages that never wait behind the queue: train and pause only flip the
 * flag, and samples, scores and memory reads only read the model, so they may
 * interleave with a running loop.
 */
async function handleNow(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'train': {
      if (!engine || running) return;
      running = true;
      post({ type: 'state', running: true });
      // Start after whatever is queued now (a Step, say), never overlapping it.
      const before = queue;
      loop = (async () => {
        await before;
        await trainLoop();
      })().catch((err) => fail(err, 'train'));
      return;
    }
    case 'pause':
      if (running) {
        running = false;
        // Report "paused" once the chunk in flight has landed, so the step
        // count shown at that moment is final.
        await loop;
        post({ type: 'state', running: false });
      }
      return;
    case 'sample': {
      const s = engine;
      if (s?.kind !== 'gpt') return;
      post({
        type: 'sample',
        requestId: msg.requestId,
        text: await sampleText(s, msg.prompt, msg.length, msg.temperature, msg.seed),
      });
      return;
    }
    case 'score': {
      const s = engine;
      if (s?.kind !== 'gpt') return;
      post({ type: 'score', requestId: msg.requestId, ...(await scoreText(s, msg.text)) });
      return;
    }
    case 'matrix': {
      const s = engine;
      if (s?.kind !== 'gpt') return;
      post({ type: 'matrix', requestId: msg.requestId, ...(await optimizerMatrix(s, msg.arm, msg.name, msg.what)) });
      return;
    }
    case 'gradients': {
      const s = engine;
      if (s?.kind !== 'gpt') return;
      post({ type: 'gradients', requestId: msg.requestId, ...(await gradientHistogram(s, msg.arm)) });
      return;
    }
    case 'fill': {
      const s = engine;
      if (s?.kind !== 'bert') return;
      post({ type: 'fill', requestId: msg.requestId, ...(await fillBlanks(s, msg.text, msg.arm)) });
      return;
    }
    case 'examples': {
      const s = engine;
      if (s?.kind !== 'bert') return;
      post({ type: 'examples', requestId: msg.requestId, examples: trainingExamples(s, msg.count, msg.seed) });
      return;
    }
    case 'reconstruct': {
      const s = engine;
      if (s?.kind !== 'encdec') return;
      post({
        type: 'reconstruct',
        requestId: msg.requestId,
        reconstructions: await reconstruct(s, msg.count, msg.arm),
      });
      return;
    }
    case 'memory': {
      // Reported at rest: a sample or reconstruction in flight holds tensors
      // for a moment, which would make the count jump for no real reason.
      await Promise.all(reads);
      const m = tf.memory();
      post({
        type: 'memory',
        requestId: msg.requestId,
        numTensors: m.numTensors,
        numBytes: m.numBytes,
        wasmHeapBytes: wasmHeapBytes(),
      });
      return;
    }
  }
}

function fail(err: unknown, during: ToWorker['type']) {
  running = false;
  const message = err instanceof Error ? err.message : String(err);
  post({ type: 'state', running: false });
  post({ type: 'error', message, during });
}

/** Queries that only read the model; memory reports wait for those in flight. */
const READS: ReadonlySet<ToWorker['type']> = new Set([
  'sample',
  'score',
  'fill',
  'examples',
  'reconstruct',
  'matrix',
  'gradients',
]);
const reads = new Set<Promise<void>>();

const QUEUED: ReadonlySet<ToWorker['type']> = new Set(['init', 'create', 'dispose', 'step']);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (QUEUED.has(msg.type)) {
    // Messages that replace or advance the model run one after another.
    queue = queue.then(() => handle(msg).catch((err) => fail(err, msg.type)));
    return;
  }
  const current = engine;
  const done = handleNow(msg).catch((err) => {
    // A sample or score cut short by a reset is stale, not an error.
    if (engine === current) fail(err, msg.type);
  });
  if (READS.has(msg.type)) {
    reads.add(done);
    void done.finally(() => reads.delete(done));
  }
};
