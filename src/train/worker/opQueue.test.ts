import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../contract';
import { enqueue, isQueued, replacesModel, type QueuedOp } from './opQueue';

const run = {} as RunSpec;
const create = (runId: number): QueuedOp => ({ type: 'create', runId, run });
const step = (runId: number): QueuedOp => ({ type: 'step', runId });
const init: QueuedOp = { type: 'init', backend: 'cpu' };

function fill(ops: QueuedOp[]): QueuedOp[] {
  return ops.reduce<QueuedOp[]>((w, op) => enqueue(w, op).waiting, []);
}

describe('the worker queue', () => {
  it('a newer create supersedes the creates and steps still waiting', () => {
    const ops = [init, create(1), step(1), create(2), step(2), step(2)];
    expect(fill(ops)).toEqual([init, create(2), step(2), step(2)]);
    const { waiting, dropped } = enqueue(fill(ops), create(3));
    expect(waiting).toEqual([init, create(3)]);
    expect(dropped).toEqual([create(2), step(2), step(2)]);
  });

  it('a storm of 200 creates leaves one waiting', () => {
    const ops = Array.from({ length: 200 }, (_, i) => create(i + 1));
    expect(fill(ops)).toEqual([create(200)]);
  });

  it('dispose supersedes too; steps alone queue up', () => {
    expect(fill([create(1), step(1), { type: 'dispose' }])).toEqual([{ type: 'dispose' }]);
    expect(fill([step(1), step(1)])).toEqual([step(1), step(1)]);
  });

  it('which messages are queued, and which replace the model', () => {
    expect(isQueued({ type: 'train', runId: 1 })).toBe(false);
    expect(isQueued({ type: 'pause' })).toBe(false);
    expect(isQueued(step(1))).toBe(true);
    expect(replacesModel(create(1))).toBe(true);
    expect(replacesModel(step(1))).toBe(false);
    expect(replacesModel(null)).toBe(false);
  });
});
