// The encoder-decoder task through the engine: each arm's objective noises
// the same passages, it learns without leaking tensors, identical arms train
// identically, and the held-out reconstructions read back as words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { EncDecRunSpec } from '../contract';
import type { Engine } from '../engine';
import { reconstruct, type EncDecTask } from './encdec';
import { encDecEngine, encDecRun } from './fixtures.testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const INFILL = { label: 'infilling', objective: 'text-infilling', rate: 0.3, span: 3 };
const SPANS = { label: 'T5 spans', objective: 'random-spans', rate: 0.15, span: 3 };

const engines: Engine<EncDecTask>[] = [];
function session(run: EncDecRunSpec) {
  const e = encDecEngine(run);
  engines.push(e);
  return e;
}
afterAll(() => engines.forEach((e) => e.dispose()));

describe('encoder-decoder task', () => {
  it('learns each objective, counts arm 0’s target tokens and leaks no tensors', async () => {
    const s = session(encDecRun([INFILL, SPANS], 1e-2));
    const start = await s.initialEval();
    // The same passages, noised two ways: the targets differ in length.
    expect(start.arms![0].targetTokens).not.toBe(start.arms![1].targetTokens);
    await s.trainSteps(2);
    const tensors = tf.memory().numTensors;
    const points = await s.trainSteps(20);
    expect(tf.memory().numTensors).toBe(tensors);
    const end = await s.evaluate();
    for (const a of [0, 1]) expect(end.arms![a].total).toBeLessThan(start.arms![a].total - 0.3);
    const tokens = points.map((p) => p.arms![0].tokens);
    expect(points.at(-1)!.tokensSeen).toBe(tokens.at(-1));
    expect(points.at(-1)!.loss).toBe(points.at(-1)!.arms![0].total);
  }, 60_000);

  it('trains arms in lockstep: identical specs give identical curves', async () => {
    const s = session(encDecRun([INFILL, { ...INFILL, label: 'copy' }]));
    await s.initialEval();
    for (const p of await s.trainSteps(3)) expect(p.arms![1]).toEqual(p.arms![0]);
  }, 30_000);

  it('reconstructs held-out passages as words, without changing the model', async () => {
    const s = session(encDecRun([INFILL, SPANS]));
    const before = await s.evaluate();
    const r = await reconstruct(s, 2, 1);
    expect(r).toHaveLength(2);
    for (const x of r) {
      expect(x.input.length).toBeGreaterThan(0);
      expect(x.target.every((w) => typeof w === 'string')).toBe(true);
    }
    expect((await s.evaluate()).arms).toEqual(before.arms);
    expect(await reconstruct(s, 2, 5)).toEqual([]);
  }, 30_000);
});
