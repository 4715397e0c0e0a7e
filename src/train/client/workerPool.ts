// Starting a worker means loading tfjs and initialising a backend (wasm: ~0.3 s,
// WebGL on SwiftShader: seconds). The shell warms one worker when a section
// opens (the contents page starts none); the first trainer on a page takes it,
// so Train responds quickly.
import {
  KERNEL_LEVELS,
  type BackendChoice,
  type BackendReport,
  type FromWorker,
  type KernelLevel,
  type ToWorker,
} from '../contract';
import { publishBackend } from './backendStore';

export interface TrainerWorker {
  worker: Worker;
  choice: BackendChoice;
  ready: Promise<BackendReport>;
  send(msg: ToWorker): void;
}

/**
 * A test flag in the address before the route (`/?autotrial=software#/...`):
 * `auto` times software GPU adapters (SwiftShader) as candidates too, so the
 * measurement can be tested on a machine without a GPU.
 */
function allowsSoftwareTrials(): boolean {
  return typeof location !== 'undefined' && new URLSearchParams(location.search).get('autotrial') === 'software';
}

/**
 * `/?kernels=simd#/...` or `?kernels=off`: caps the notebook's own wasm kernels
 * (relaxed SIMD, then SIMD128, then tfjs's ops), so each fallback can be
 * tried and tested in a browser that has them all.
 */
function kernelCap(): KernelLevel | undefined {
  if (typeof location === 'undefined') return undefined;
  const asked = new URLSearchParams(location.search).get('kernels');
  return KERNEL_LEVELS.find((level) => level === asked);
}

/** `/?threads=1#/...`: the matrix products stay on one thread even when the page could use two. */
function threadCap(): 1 | undefined {
  if (typeof location === 'undefined') return undefined;
  return new URLSearchParams(location.search).get('threads') === '1' ? 1 : undefined;
}

/**
 * `quiet`: a worker that trains part of a run spread over several (the
 * fleet's second and later): the badge follows only the first. `oneThread`:
 * its kernels stay on one thread, the cores being taken by the other workers.
 */
function spawn(choice: BackendChoice, { quiet = false, oneThread = false } = {}): TrainerWorker {
  const worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'trainer',
  });
  const ready = new Promise<BackendReport>((resolve, reject) => {
    const onMessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') {
        worker.removeEventListener('message', onMessage);
        resolve(e.data.backend);
      } else if (e.data.type === 'error' && e.data.during === 'init') {
        worker.removeEventListener('message', onMessage);
        reject(new Error(e.data.message));
      }
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'The training worker failed to load')));
  });
  const send = (msg: ToWorker) => worker.postMessage(msg);
  // `auto` timed its candidates on a model and switched: the badge follows.
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    if (e.data.type === 'backend' && !quiet) publishBackend({ state: 'running', report: e.data.backend });
  });
  send({
    type: 'init',
    backend: choice,
    trialSoftware: allowsSoftwareTrials(),
    kernels: kernelCap(),
    threads: oneThread ? 1 : threadCap(),
  });
  if (quiet) {
    // A worker that fails to start is reported through the run it was to train.
    ready.catch(() => {});
    return { worker, choice, ready, send };
  }
  publishBackend({ state: 'starting' });
  ready.then(
    (report) => publishBackend({ state: 'running', report }),
    (err: Error) => publishBackend({ state: 'failed', message: err.message }),
  );
  return { worker, choice, ready, send };
}

let spare: TrainerWorker | null = null;
/** Whether a trainer has asked for a worker yet: after that, warming one up ahead of need is too late. */
let acquired = false;

/** Starts a worker ahead of need, so its backend is ready before a page asks. */
export function warmUp(choice: BackendChoice) {
  if (acquired || (spare && spare.choice === choice)) return;
  spare?.worker.terminate();
  spare = spawn(choice);
}

/** A worker for one trainer; terminate it when the trainer goes away. */
export function acquireWorker(choice: BackendChoice): TrainerWorker {
  acquired = true;
  if (spare && spare.choice === choice) {
    const w = spare;
    spare = null;
    return w;
  }
  return spawn(choice);
}

/** Another worker for a run spread over several; terminate it with the trainer. */
export function spawnPartWorker(choice: BackendChoice): TrainerWorker {
  return spawn(choice, { quiet: true, oneThread: true });
}
