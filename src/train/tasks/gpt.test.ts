// The GPT task through the engine: arms on the same batches, tracking, the
// drop-an-arm divergence policy, per-arm schedules and decay, the factored-v
// error, and the reference arm's samples and scores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Engine } from '../engine';
import { constant, DEMO_ADAMW, gptArm, gptData, gptEngine, gptRun } from './fixtures.testing';
import { GptTask } from './gpt';
import { optimizerMatrix, sampleText, scoreText } from './gptQueries';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TRACK = [
  { name: 'h0.mlp.w1', index: 5 },
  { name: 'lnf.g', index: 0 },
];

const engines: Engine<GptTask>[] = [];
function engine(...args: Parameters<typeof gptEngine>): Engine<GptTask> {
  const e = gptEngine(...args);
  engines.push(e);
  return e;
}
afterAll(() => engines.forEach((e) => e.dispose()));

describe('GPT arms in lockstep', () => {
  it('trains every optimiser on the same batches and reports the tracked elements’ g, m and v', async () => {
    const e = engine(
      gptRun([gptArm('SGD', { kind: 'sgd' }, 0.1), gptArm('Adam', { kind: 'adam', beta1: 0.9, beta2: 0.99 }, 0.01)], {
        track: TRACK,
        referenceArm: 1,
      }),
    );
    const start = await e.initialEval();
    // Same initialisation: every arm starts from the same held-out loss.
    expect(start.arms![1].total).toBe(start.arms![0].total);
    const [p1, p2] = await e.trainSteps(2);
    // Same batch, same initial weights: the first losses agree.
    expect(p1.arms![1].total).toBeCloseTo(p1.arms![0].total, 5);
    // The trainer's numbers are the reference arm's, rate included.
    expect(p1.loss).toBe(p1.arms![1].total);
    expect(p1.lr).toBe(0.01);
    // Adam's first moments from the gradient (no clipping): m1 = 0.1 g1, v1 = 0.01 g1^2.
    for (const t of p1.tracked!) {
      expect(t.m).toBeCloseTo(0.1 * t.g, 7);
      expect(t.v).toBeCloseTo(0.01 * t.g * t.g, 9);
    }
    // And the second step follows the recursions from the first.
    p2.tracked!.forEach((t, k) => {
      const prev = p1.tracked![k];
      expect(t.m).toBeCloseTo(0.9 * prev.m + 0.1 * t.g, 6);
      expect(t.v).toBeCloseTo(0.99 * prev.v + 0.01 * t.g * t.g, 8);
    });
    const tensors = tf.memory().numTensors;
    await e.trainSteps(5);
    expect(tf.memory().numTensors).toBe(tensors);
    const heat = await optimizerMatrix(e, 1, 'h0.attn.wqkv', 'v');
    expect(heat.shape).toEqual([16, 48]);
    expect(heat.values!.length).toBe(16 * 48);
    expect(Array.from(heat.values!).every((x) => x >= 0)).toBe(true);
    expect((await optimizerMatrix(e, 0, 'h0.attn.wqkv', 'v')).values).toBeNull(); // SGD has no second moment
  }, 30_000);

  it('drops an arm that blows up and keeps racing the others', async () => {
    // The reference arm (1) is Adam; the SGD arm (0) blows up.
    const e = engine(
      gptRun([gptArm('SGD', { kind: 'sgd' }, 1e6), gptArm('Adam', { kind: 'adam' }, 0.01)], { referenceArm: 1 }),
    );
    await e.initialEval();
    let stopped = false;
    for (let i = 0; i < 6 && !stopped; i++) {
      const points = await e.trainSteps(1);
      stopped = points.some((p) => e.isDiverged(p));
    }
    expect(stopped).toBe(false);
    const [p] = await e.trainSteps(1);
    expect(Number.isNaN(p.arms![0].total)).toBe(true);
    expect(Number.isFinite(p.arms![1].total)).toBe(true);
    expect(p.loss).toBe(p.arms![1].total);
    const ev = await e.evaluate();
    expect(Number.isNaN(ev.arms![0].weightNorm)).toBe(true);
    expect(ev.heldOutLoss).toBe(ev.arms![1].total);
  }, 30_000);

  it('stops the run when the reference arm blows up', async () => {
    const e = engine(gptRun([gptArm('SGD', { kind: 'sgd' }, 1e6), gptArm('Adam', { kind: 'adam' }, 0.01)]));
    await e.initialEval();
    let stoppedAt = 0;
    for (let i = 0; i < 6 && !stoppedAt; i++) {
      const [p] = await e.trainSteps(1);
      if (e.isDiverged(p)) stoppedAt = p.step;
    }
    expect(stoppedAt).toBeGreaterThan(0);
  }, 30_000);

  it('gives each arm its own schedule: a warmup arm departs from its identical twins after the first update', async () => {
    const adam = { kind: 'adam' as const };
    const e = engine(
      gptRun([
        gptArm('no warmup', adam, 0.01),
        gptArm('warmup', adam, 0.01, { schedule: constant(0.01, { warmupSteps: 100 }) }),
        gptArm('no warmup again', adam, 0.01),
      ]),
    );
    await e.initialEval();
    const [p1, p2] = await e.trainSteps(2);
    // Same weights and batch at step 1; after one update the arms differ only by their rates.
    expect(p1.arms![1].total).toBeCloseTo(p1.arms![0].total, 5);
    expect(p1.arms![1].lr).toBeCloseTo(1e-4, 12);
    expect(p2.arms![2].total).toBe(p2.arms![0].total);
    expect(p2.arms![1].total).not.toBe(p2.arms![0].total);
  }, 30_000);

  it('decays only the weight matrices of an AdamW arm unless its spec says decayAll', async () => {
    // Three arms on the same weights and batch, one step: their Adam updates are identical, so
    // any difference from the undecayed arm is the decay, (1 - lr λ) p0 - p0 = -lr λ p0, where it applies.
    const adamw = { kind: 'adamw' as const };
    const e = engine(
      gptRun([
        gptArm('no decay', { ...adamw, weightDecay: 0 }, 0.01),
        gptArm('matrices', { ...adamw, weightDecay: 10 }, 0.01),
        gptArm('all', { ...adamw, weightDecay: 10, decayAll: true }, 0.01),
      ]),
    );
    const read = (a: number) =>
      Object.fromEntries(Object.entries(e.arms[a].model.params).map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    const p0 = read(0);
    await e.trainSteps(1);
    const [none, matrices, all] = [read(0), read(1), read(2)];
    const shrunk = (x: Float32Array, name: string) =>
      Math.max(...Array.from(x, (xi, i) => Math.abs(xi - none[name][i] + 0.01 * 10 * p0[name][i])));
    for (const name of ['h0.attn.wqkv', 'h0.attn.wo', 'h0.mlp.w1', 'h0.mlp.w2']) {
      expect(shrunk(matrices[name], name), name).toBeLessThan(1e-6);
      expect(shrunk(all[name], name), name).toBeLessThan(1e-6);
    }
    for (const name of ['wte', 'wpe', 'h0.ln1.g', 'h0.ln2.b', 'h0.attn.bqkv', 'lnf.g', 'lnf.b']) {
      expect(Array.from(matrices[name]), name).toEqual(Array.from(none[name]));
    }
    // The control: with decayAll the gains shrink too (by 0.1 from 1), so the check above can fail.
    expect(shrunk(all['lnf.g'], 'lnf.g')).toBeLessThan(1e-6);
    expect(Math.max(...Array.from(all['lnf.g'], (x, i) => Math.abs(x - none['lnf.g'][i])))).toBeGreaterThan(0.09);
  }, 30_000);

  it('rejects a tracked element outside its parameter', () => {
    const bad = gptRun([gptArm('Adam', { kind: 'adam' }, 0.01)]);
    expect(() => new GptTask({ ...bad, track: [{ name: 'lnf.g', index: 16 }] }, gptData())).toThrow(
      /outside the parameter/,
    );
    expect(() => new GptTask({ ...bad, track: [{ name: 'nope', index: 0 }] }, gptData())).toThrow(
      /no parameter 'nope'/,
    );
  });
});

describe('a one-arm GPT run (the decoder-only and memory pages)', () => {
  const single = (factorError?: boolean) =>
    gptRun([gptArm('AdamW', DEMO_ADAMW, 0.01, { clipNorm: 1 })], factorError === undefined ? {} : { factorError });

  it('adds the factored second moment’s relative error only when asked', async () => {
    const plain = engine(single());
    const asked = engine(single(true));
    await plain.trainSteps(3);
    await asked.trainSteps(3);
    const a = await plain.evaluate();
    const b = await asked.evaluate();
    expect(a.heldOutLoss).toBeCloseTo(b.heldOutLoss, 6);
    expect(a.arms![0].factorError).toBeUndefined();
    // A relative error of a rank-1 fit: finite, above 0 (v is not exactly rank 1), below 1 here.
    expect(b.arms![0].factorError).toBeGreaterThan(0);
    expect(b.arms![0].factorError).toBeLessThan(1);
  });

  it('counts every token of the batch and samples and scores reproducibly', async () => {
    const e = engine(single());
    const points = await e.trainSteps(3);
    expect(points.map((p) => p.tokensSeen)).toEqual([32, 64, 96]);
    const text = await sampleText(e, 'the ', 12, 0.8, 42);
    expect(text).toHaveLength(12);
    expect(await sampleText(e, 'the ', 12, 0.8, 42)).toBe(text);
    const scored = await scoreText(e, 'the cat ate the mouse. the dog');
    expect(scored.tokens[0].nll).toBeNull();
    expect(scored.tokens.slice(1).every((t) => t.nll !== null && t.nll > 0)).toBe(true);
    expect(scored.total).toBeCloseTo(
      scored.tokens.reduce((s, t) => s + (t.nll ?? 0), 0),
      6,
    );
  });
});
