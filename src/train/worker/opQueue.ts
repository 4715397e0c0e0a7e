// The worker's queue of messages that replace or advance the model (init,
// create, dispose, step), handled one after another. A create or dispose throws
// away whatever model is there, so it supersedes every create, dispose and step
// still waiting: a storm of Resets builds one model, the last, not one per press.
// Pure: no tfjs, no worker globals, so the collapse is unit tested.
import type { ToWorker } from '../contract';

export type QueuedOp = Extract<ToWorker, { type: 'init' | 'create' | 'dispose' | 'step' }>;

const QUEUED_TYPES: ReadonlySet<ToWorker['type']> = new Set(['init', 'create', 'dispose', 'step']);

export function isQueued(msg: ToWorker): msg is QueuedOp {
  return QUEUED_TYPES.has(msg.type);
}

/** Whether `op` replaces (or frees) the model. */
export function replacesModel(op: QueuedOp | null | undefined): boolean {
  return op?.type === 'create' || op?.type === 'dispose';
}

/**
 * `waiting` with `op` added at the end. A create or dispose first drops every
 * create, dispose and step still waiting (returned as `dropped`); init, which
 * starts the backend, is never dropped.
 */
export function enqueue(waiting: readonly QueuedOp[], op: QueuedOp): { waiting: QueuedOp[]; dropped: QueuedOp[] } {
  if (!replacesModel(op)) return { waiting: [...waiting, op], dropped: [] };
  const kept = waiting.filter((w) => w.type === 'init');
  const dropped = waiting.filter((w) => w.type !== 'init');
  return { waiting: [...kept, op], dropped };
}
