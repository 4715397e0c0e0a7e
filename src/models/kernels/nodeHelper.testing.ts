// The helper thread in Node (tests and measurements): a worker_threads Worker
// running gemmHelperLoop from its source text. The browser's is a module
// Worker (train/worker/gemmHelper.worker.ts).
import { Worker } from 'node:worker_threads';
import { forceKernelThreads, gemmHelperLoop, helperReady, setHelperSpawner, type HelperPort } from './threads';

const SOURCE =
  `const { parentPort } = require('node:worker_threads');\n` +
  `parentPort.once('message', (init) => (${gemmHelperLoop.toString()})(init));`;

export function nodeHelper(): HelperPort {
  const worker = new Worker(SOURCE, { eval: true });
  worker.unref(); // a test's process may exit with the helper still waiting
  return worker;
}

/** Polls until `test` holds, or throws after `ms`. */
export async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!test()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets the products use two threads here, as a cross-origin isolated page would. */
export function allowTwoThreadsInNode(): void {
  setHelperSpawner(nodeHelper);
  forceKernelThreads(2);
}

export { helperReady };
