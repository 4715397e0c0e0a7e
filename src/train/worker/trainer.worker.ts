/// <reference lib="webworker" />
// The training worker: owns the tfjs backend and one Session. The page talks to
// it only through the messages in protocol.ts.
import * as tf from '@tensorflow/tfjs-core';
import { startBackend } from './backendSelect';
import { createSession } from '../createSession';
import { BertSession } from '../bertSession';
import { EncDecSession } from '../encdecSession';
import { GptRaceSession } from '../gptRaceSession';
import { Session } from '../session';
import type { TrainingSession } from '../trainingSession';
import type { EvalPoint, FromWorker, StepPoint, ToWorker } from '../contract';

declare const self: DedicatedWorkerGlobalScope;

let session: TrainingSession | null = null;
let running = false;
/** The running training loop, awaited before the session is replaced or freed. */
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

async function runChunk(s: TrainingSession, count: number): Promise<boolean> {
  const points: StepPoint[] = await s.trainSteps(count);
  const evals: EvalPoint[] = [];
  const bad = points.find((p) => s.isDiverged(p));
  if (!bad && points.some((p) => p.step % s.run.evalEvery === 0)) evals.push(await s.evaluate());
  post({ type: 'progress', points: bad ? points.filter((p) => p.step <= bad.step && Number.isFinite(p.loss)) : points, evals });
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
  while (running && session) {
    const s = session;
    const ok = await runChunk(s, chunkSize());
    if (!ok || s !== session) break;
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
      session?.dispose();
      session = null;
      session = await createSession(msg.run);
      post({ type: 'created', params: session.paramCount, vocabSize: session.vocabSize, initial: await session.initialEval() });
      return;
    }
    case 'dispose':
      await stopLoop();
      session?.dispose();
      session = null;
      return;
    case 'step':
      await loop; // a paused loop may still be finishing its chunk
      if (session && !running) await runChunk(session, 1);
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
      if (!session || running) return;
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
      if (!(session instanceof Session)) return;
      const text = await session.sample(msg.prompt, msg.length, msg.temperature, msg.seed);
      post({ type: 'sample', requestId: msg.requestId, text });
      return;
    }
    case 'score': {
      if (!(session instanceof Session)) return;
      const result = await session.score(msg.text);
      post({ type: 'score', requestId: msg.requestId, ...result });
      return;
    }
    case 'fill': {
      if (!(session instanceof BertSession)) return;
      const result = await session.fill(msg.text, msg.arm);
      post({ type: 'fill', requestId: msg.requestId, ...result });
      return;
    }
    case 'examples': {
      if (!(session instanceof BertSession)) return;
      post({ type: 'examples', requestId: msg.requestId, examples: session.examples(msg.count, msg.seed) });
      return;
    }
    case 'reconstruct': {
      if (!(session instanceof EncDecSession)) return;
      post({ type: 'reconstruct', requestId: msg.requestId, reconstructions: await session.reconstruct(msg.count, msg.arm) });
      return;
    }
    case 'matrix': {
      if (!(session instanceof GptRaceSession)) return;
      post({ type: 'matrix', requestId: msg.requestId, ...(await session.matrix(msg.arm, msg.name, msg.what)) });
      return;
    }
    case 'gradients': {
      if (!(session instanceof GptRaceSession)) return;
      post({ type: 'gradients', requestId: msg.requestId, ...(await session.gradientHistogram(msg.arm)) });
      return;
    }
    case 'memory': {
      // Reported at rest: a sample or reconstruction in flight holds tensors
      // for a moment, which would make the count jump for no real reason.
      await Promise.all(reads);
      const m = tf.memory();
      post({ type: 'memory', requestId: msg.requestId, numTensors: m.numTensors, numBytes: m.numBytes, wasmHeapBytes: wasmHeapBytes() });
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
const READS: ReadonlySet<ToWorker['type']> = new Set(['sample', 'score', 'fill', 'examples', 'reconstruct', 'matrix', 'gradients']);
const reads = new Set<Promise<void>>();

const QUEUED: ReadonlySet<ToWorker['type']> = new Set(['init', 'create', 'dispose', 'step']);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (QUEUED.has(msg.type)) {
    // Messages that replace or advance the model run one after another.
    queue = queue.then(() => handle(msg).catch((err) => fail(err, msg.type)));
    return;
  }
  const current = session;
  const done = handleNow(msg).catch((err) => {
    // A sample or score cut short by a reset is stale, not an error.
    if (session === current) fail(err, msg.type);
  });
  if (READS.has(msg.type)) {
    reads.add(done);
    void done.finally(() => reads.delete(done));
  }
};
