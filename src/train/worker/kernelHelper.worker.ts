/// <reference lib="webworker" />
// The helper thread of the notebook's own matrix products (models/kernels/
// threads.ts): started by the trainer worker when the page is cross-origin
// isolated; it receives a shared memory and the gemm build, then loops on
// that memory and never returns to its event loop.
import { helperLoop, type HelperInit } from '../../models/kernels/threads';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<HelperInit>) => helperLoop(e.data);
