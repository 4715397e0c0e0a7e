// Two threads in Node (tests and measurements), as on a cross-origin isolated
// page: tfjs's wasm binary with its memory made shared (sharedHeap.ts),
// written to a temporary folder for setWasmPaths, and the helper as a
// worker_threads Worker running helperLoop from its source text. The
// browser's helper is a module Worker (train/worker/kernelHelper.worker.ts).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { shareMemory } from './sharedHeap';
import { forceKernelThreads, helperLoop, setHelperSpawner, type HelperPort } from './threads';

const SOURCE =
  `const { parentPort } = require('node:worker_threads');\n` +
  `parentPort.once('message', (init) => (${helperLoop.toString()})(init));`;

export function nodeHelper(): HelperPort {
  const worker = new Worker(SOURCE, { eval: true });
  worker.unref(); // a test's process may exit with the helper still waiting
  return worker;
}

/**
 * Makes the wasm backend of this module graph start on a shared heap: call
 * before its first tf.setBackend('wasm').
 */
export function sharedHeapInNode(): void {
  const simd = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm');
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-shared-'));
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'])
    copyFileSync(join(dirname(simd), name), join(dir, name));
  const shared = shareMemory(readFileSync(simd));
  if (!shared) throw new Error("tfjs's SIMD binary has no memory this can share");
  writeFileSync(join(dir, 'tfjs-backend-wasm-simd.wasm'), shared);
  setWasmPaths(`${dir}/`);
}

/** Polls until `test` holds, or throws after `ms`. */
export async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!test()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets the kernels use two threads here, as a cross-origin isolated page would (after sharedHeapInNode). */
export function allowTwoThreadsInNode(): void {
  setHelperSpawner(nodeHelper);
  forceKernelThreads(2);
}
