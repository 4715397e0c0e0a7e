// A trainer's workers: the first (taken warm from the pool) and, for a
// multi-arm run on a machine with cores to spare, more, each training part of
// the arms (contract/shards.ts). The merger between them (shardMerge.ts) makes
// the fleet speak as one worker, so useTrainer does not know how many there are.
import {
  workersFor,
  type BackendChoice,
  type BackendName,
  type BackendReport,
  type FromWorker,
  type ToWorker,
} from '../contract';
import { publishBackend } from './backendStore';
import { ShardMerger } from './shardMerge';
import { acquireWorker, spawnPartWorker, type TrainerWorker } from './workerPool';

export interface TrainerFleet {
  /** The first worker's backend, once started. */
  ready: Promise<BackendReport>;
  send(msg: ToWorker): void;
  /** Frees every model and terminates every worker. */
  close(): void;
}

/** The most workers `?workers=N` may force. */
export const MAX_FORCED_WORKERS = 8;

/**
 * `/?workers=N#/...`: spread a multi-arm run over N workers (at most one per
 * arm) whatever the core count, so the spread can be tried and tested on a
 * 2-core machine, where it is otherwise never used.
 */
export function forcedWorkers(search: string): number | undefined {
  const n = Number(new URLSearchParams(search).get('workers'));
  return Number.isInteger(n) && n >= 1 && n <= MAX_FORCED_WORKERS ? n : undefined;
}

/** The first worker's report while a run is spread: every worker, the first too, runs its kernels on one thread. */
export function spreadReport(report: BackendReport, workers: number, arms: number): BackendReport {
  const kernels = report.kernels && {
    ...report.kernels,
    threads: 1 as const,
    oneThreadBecause: report.kernels.oneThreadBecause ?? "the run's arms are spread over workers",
  };
  return { ...report, ...(kernels ? { kernels } : {}), spread: { workers, arms } };
}

/**
 * How many workers a run of `arms` arms gets, and the backend the others
 * start on. Only a run on a CPU backend is spread (several workers on one
 * GPU would share it), and the others start on that very backend, so none
 * of them probes or times GPUs. `auto` starts on wasm and times GPU
 * candidates only when it builds a whole run, so before the first worker's
 * report its backend is wasm.
 */
export function spreadFor(
  report: BackendReport | null,
  choice: BackendChoice,
  arms: number,
  cores: number,
  forced?: number,
): { spread: number; backend: BackendName } {
  const backend = report?.name ?? (choice === 'auto' ? 'wasm' : choice);
  const onCpu = backend === 'wasm' || backend === 'cpu';
  return { spread: onCpu ? workersFor(arms, cores, forced) : 1, backend };
}

function cores(): number {
  return typeof navigator === 'undefined' ? 1 : (navigator.hardwareConcurrency ?? 1);
}

export function openFleet(choice: BackendChoice, onMessage: (msg: FromWorker) => void): TrainerFleet {
  const workers: TrainerWorker[] = [];
  const forced = typeof location === 'undefined' ? undefined : forcedWorkers(location.search);
  let report: BackendReport | null = null;
  let spreadShown = false;
  let closed = false;

  /** The badge says when the run is spread, and stops saying it when the next is not. */
  const showSpread = (arms: number) => {
    const spread = merger.spread;
    if (!report || (spread === 1 && !spreadShown)) return;
    spreadShown = spread > 1;
    publishBackend({
      state: 'running',
      report: spread > 1 ? spreadReport(report, spread, arms) : report,
    });
  };

  let arms = 0;
  const merger = new ShardMerger({
    emit: (msg) => {
      if (msg.type === 'backend') report = msg.backend;
      onMessage(msg);
      if (msg.type === 'created') showSpread(arms);
    },
    send: (index, msg) => workers[index]?.send(msg),
  });

  const add = (w: TrainerWorker) => {
    const index = workers.length;
    workers.push(w);
    // Nothing a worker still says reaches the page once the fleet is closed.
    w.worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      if (!closed) merger.fromWorker(index, e.data);
    });
  };
  add(acquireWorker(choice));
  const ready = workers[0].ready;
  ready.then(
    (r) => (report ??= r),
    () => {},
  );

  return {
    ready,
    send(msg) {
      if (msg.type !== 'create') {
        merger.fromPage(msg);
        return;
      }
      arms = msg.run.arms.length;
      const { spread, backend } = spreadFor(report, choice, arms, cores(), forced);
      while (workers.length < spread) add(spawnPartWorker(backend));
      merger.create(msg, spread, workers.length);
    },
    close() {
      merger.fromPage({ type: 'dispose' });
      closed = true;
      for (const w of workers) w.worker.terminate();
      workers.length = 0;
    },
  };
}
