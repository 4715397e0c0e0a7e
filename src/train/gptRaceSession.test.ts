import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildCharTokenizer } from '../core';
import type { PreparedData } from './data';
import { GptRaceSession } from './gptRaceSession';
import type { GptRaceRunSpec } from './contract';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const text = 'the mouse ate the cheese. the cat ate the mouse. the dog ate the bone. '.repeat(20);
const tokenizer = buildCharTokenizer(text);
const data: PreparedData = { tokenizer, train: Int32Array.from(tokenizer.encode(text)), heldOut: Int32Array.from(tokenizer.encode(text.slice(0, 400))) };

function run(arms: GptRaceRunSpec['arms'], clipNorm: number | null = null): GptRaceRunSpec {
  return {
    task: 'gpt-race',
    seed: 3,
    model: { tokenizer: 'char', wordVocab: 100, nLayers: 1, dModel: 16, nHeads: 2, contextLength: 8 },
    arms,
    track: [
      { name: 'h0.mlp.w1', index: 5 },
      { name: 'lnf.g', index: 0 },
    ],
    trackArm: 1,
    optim: { batchSize: 4, lr: 0.01, schedule: 'constant', warmupSteps: 0, totalSteps: 100, minLrRatio: 1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, clipNorm },
    data: { kind: 'text', train: '', heldOut: '' },
    evalEvery: 10,
  };
}

const sessions: GptRaceSession[] = [];
afterAll(() => sessions.forEach((s) => s.dispose()));

describe('GptRaceSession', () => {
  it('trains every optimiser on the same batches and reports the tracked elements’ g, m and v', async () => {
    const s = new GptRaceSession(run([{ label: 'SGD', optimizer: { kind: 'sgd', lr: 0.1 } }, { label: 'Adam', optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.99 } }]), data);
    sessions.push(s);
    const start = await s.initialEval();
    // Same initialisation: every arm starts from the same held-out loss.
    expect(start.arms![1].total).toBe(start.arms![0].total);
    const [p1, p2] = await s.trainSteps(2);
    // Same batch, same initial weights: the first losses agree.
    expect(p1.arms![1].total).toBeCloseTo(p1.arms![0].total, 5);
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
    await s.trainSteps(5);
    expect(tf.memory().numTensors).toBe(tensors);
    const heat = await s.matrix(1, 'h0.attn.wqkv', 'v');
    expect(heat.shape).toEqual([16, 48]);
    expect(heat.values!.length).toBe(16 * 48);
    expect(Array.from(heat.values!).every((x) => x >= 0)).toBe(true);
    expect((await s.matrix(0, 'h0.attn.wqkv', 'v')).values).toBeNull(); // SGD has no second moment
  }, 30_000);

  it('drops an arm that blows up and keeps racing the others', async () => {
    // The reference arm (trackArm 1) is Adam; the SGD arm (0) blows up.
    const s = new GptRaceSession(run([{ label: 'SGD', optimizer: { kind: 'sgd', lr: 1e6 } }, { label: 'Adam', optimizer: { kind: 'adam', lr: 0.01 } }]), data);
    sessions.push(s);
    await s.initialEval();
    let stopped = false;
    for (let i = 0; i < 6 && !stopped; i++) {
      const points = await s.trainSteps(1);
      stopped = points.some((p) => s.isDiverged(p));
    }
    expect(stopped).toBe(false);
    const [p] = await s.trainSteps(1);
    expect(Number.isNaN(p.arms![0].total)).toBe(true);
    expect(Number.isFinite(p.arms![1].total)).toBe(true);
    expect(p.loss).toBe(p.arms![1].total);
  }, 30_000);

  it('gives each arm its own schedule: a warmup arm departs from its identical twins after the first update', async () => {
    const adam = { kind: 'adam' as const, lr: 0.01 };
    const s = new GptRaceSession(
      run([
        { label: 'no warmup', optimizer: adam },
        { label: 'warmup', optimizer: adam, schedule: { warmupSteps: 100 } },
        { label: 'no warmup again', optimizer: adam },
      ]),
      data,
    );
    sessions.push(s);
    await s.initialEval();
    const [p1, p2] = await s.trainSteps(2);
    // Same weights and batch at step 1; after one update the arms differ only by their rates.
    expect(p1.arms![1].total).toBeCloseTo(p1.arms![0].total, 5);
    expect(p2.arms![2].total).toBe(p2.arms![0].total);
    expect(p2.arms![1].total).not.toBe(p2.arms![0].total);
  }, 30_000);

  it('decays only the weight matrices of an AdamW arm unless its spec says decayAll', async () => {
    // Three arms on the same weights and batch, one step: their Adam updates are identical, so
    // any difference from the undecayed arm is the decay, (1 - lr λ) p0 - p0 = -lr λ p0, where it applies.
    const adamw = { kind: 'adamw' as const, lr: 0.01 };
    const s = new GptRaceSession(
      run([
        { label: 'no decay', optimizer: { ...adamw, weightDecay: 0 } },
        { label: 'matrices', optimizer: { ...adamw, weightDecay: 10 } },
        { label: 'all', optimizer: { ...adamw, weightDecay: 10, decayAll: true } },
      ]),
      data,
    );
    sessions.push(s);
    // The arms' parameters are private; the test reads them as the optimiser left them.
    const arms = (s as unknown as { arms: { params: Record<string, tf.Variable> }[] }).arms;
    const read = (a: number) => Object.fromEntries(Object.entries(arms[a].params).map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    const p0 = read(0);
    await s.trainSteps(1);
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
    const bad = run([{ label: 'Adam', optimizer: { kind: 'adam' } }]);
    expect(() => new GptRaceSession({ ...bad, track: [{ name: 'lnf.g', index: 16 }] }, data)).toThrow(/outside the parameter/);
    expect(() => new GptRaceSession({ ...bad, track: [{ name: 'nope', index: 0 }] }, data)).toThrow(/no parameter 'nope'/);
  });
});
