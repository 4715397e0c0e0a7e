// Which parameters weight decay applies to, checked against the names each
// model actually builds, and against the kind and shape its ParamInfo declares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { makeRng } from '../../core';
import { bertParamInfo, initBertParams } from '../../models/bert';
import { encDecParamInfo, initEncDecParams } from '../../models/encdec';
import { gptParamInfo, initGptParams } from '../../models/gpt';
import type { ParamInfo, Params } from '../../models/transformer';
import { decaysAll, type OptimizerSpec } from '../../core';
import { decayedByDefault, decaysFor, paramGroup } from './decay';
import { optimizerFor } from './optimizer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const built: Params[] = [];
afterAll(() => built.forEach((p) => tf.dispose(Object.values(p))));

const stack = { dModel: 8, nLayers: 2, nHeads: 2 };
const BLOCK_MATRICES = (h: string) => [`${h}.attn.wqkv`, `${h}.attn.wo`, `${h}.mlp.w1`, `${h}.mlp.w2`];

const MODELS: { name: string; info: ParamInfo[]; build: () => Params; decayed: string[] }[] = [
  {
    name: 'GPT',
    info: gptParamInfo({ vocabSize: 7, contextLength: 5, ...stack }),
    build: () => initGptParams({ vocabSize: 7, contextLength: 5, ...stack }, makeRng(1)),
    decayed: [...BLOCK_MATRICES('h0'), ...BLOCK_MATRICES('h1')],
  },
  {
    name: 'BERT',
    info: bertParamInfo({ vocabSize: 7, maxLength: 6, segmentTypes: 2, ...stack }),
    build: () => initBertParams({ vocabSize: 7, maxLength: 6, segmentTypes: 2, ...stack }, makeRng(1)),
    // The NSP classifier is a linear layer; the MLM head is tied to wte and only adds a bias.
    decayed: [...BLOCK_MATRICES('h0'), ...BLOCK_MATRICES('h1'), 'nsp.w'],
  },
  {
    name: 'encoder-decoder',
    info: encDecParamInfo({ vocabSize: 7, maxSource: 6, maxTarget: 5, ...stack }),
    build: () => initEncDecParams({ vocabSize: 7, maxSource: 6, maxTarget: 5, ...stack }, makeRng(1)),
    decayed: [0, 1].flatMap((i) => [
      ...BLOCK_MATRICES(`enc.h${i}`),
      ...BLOCK_MATRICES(`dec.h${i}`),
      `dec.h${i}.xattn.wq`,
      `dec.h${i}.xattn.wkv`,
      `dec.h${i}.xattn.wo`,
    ]),
  },
];

describe('decayedByDefault', () => {
  for (const m of MODELS) {
    it(`classifies every parameter the ${m.name} builds: matrices decayed; embeddings, layer norms and biases not`, () => {
      const params = m.build();
      built.push(params);
      const names = Object.keys(params);
      expect(names.sort()).toEqual(m.info.map((p) => p.name).sort());
      expect(names.filter(decayedByDefault).sort()).toEqual([...m.decayed].sort());
      // The name rules agree with what the model declares about each parameter.
      for (const p of m.info) {
        const group = paramGroup(p.name);
        const expected = {
          weight: ['matrix'],
          embedding: ['embedding'],
          gain: ['layerNorm'],
          bias: ['bias', 'layerNorm'],
        }[p.kind];
        expect(expected, p.name).toContain(group);
        if (group === 'matrix') expect(p.shape.length, p.name).toBe(2);
        if (group === 'bias' || group === 'layerNorm') expect(p.shape.length, p.name).toBe(1);
      }
    });
  }

  it('refuses a name no model uses rather than guessing', () => {
    for (const name of ['', 'theta', 'h0.attn', 'h0.ln1.w', 'h0.foo.w1', 'lm_head'])
      expect(() => paramGroup(name), name).toThrow(RangeError);
    expect(() => decaysFor(['wte', 'mystery'])).toThrow(/mystery/);
    expect(decayedByDefault('head.w')).toBe(true); // an untied output head, should a model get one
    expect(decayedByDefault('head.b')).toBe(false);
  });
});

describe('decaysFor and decaysAll', () => {
  it('give the matrices-only predicate by default and none (every parameter) with decayAll', () => {
    const names = ['wte', 'h0.ln1.g', 'h0.attn.wqkv', 'h0.attn.bqkv', 'lnf.b'];
    expect(names.filter(decaysFor(names)!)).toEqual(['h0.attn.wqkv']);
    expect(decaysFor(names, true)).toBeUndefined();
    expect(decaysAll({ kind: 'adamw', weightDecay: 0.1 })).toBe(false);
    expect(decaysAll({ kind: 'adam', decayAll: true })).toBe(true);
    expect(decaysAll({ kind: 'adafactor' })).toBe(false);
  });
});

describe('optimizerFor (the engine’s optimiser for an arm)', () => {
  const optim = { kind: 'adamw', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 1 } satisfies OptimizerSpec;
  const lr = 0.1;

  /**
   * Five AdamW steps on zero gradients (Adam's own step is then 0, so only the
   * decay moves a weight); for each parameter, the factor s its weights were
   * multiplied by, fitted as sum(after * before) / sum(before^2), and the
   * largest |after - s before|. Biases start at 0 and say nothing either way.
   */
  function factors(decayAll: boolean): Record<string, { s: number; misfit: number }> {
    const params = initGptParams({ vocabSize: 7, contextLength: 5, ...stack }, makeRng(2));
    built.push(params);
    const before = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.dataSync().slice()]));
    const adam = optimizerFor(params, { ...optim, decayAll });
    const zeros = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.zerosLike(v)]));
    for (let i = 0; i < 5; i++) adam.step(zeros, lr);
    tf.dispose(Object.values(zeros));
    adam.dispose();
    const out: Record<string, { s: number; misfit: number }> = {};
    for (const [k, v] of Object.entries(params)) {
      const b = before[k];
      const a = v.dataSync();
      let ab = 0;
      let bb = 0;
      for (let i = 0; i < b.length; i++) [ab, bb] = [ab + a[i] * b[i], bb + b[i] * b[i]];
      if (bb === 0) continue;
      const s = ab / bb;
      out[k] = { s, misfit: Math.max(...Array.from(b, (x, i) => Math.abs(a[i] - s * x))) };
    }
    return out;
  }

  it('shrinks matrices by (1 - lr λ)^5 and leaves embeddings and gains alone; decayAll shrinks all', () => {
    const shrink = (1 - 0.1 * 1) ** 5; // 0.59
    const matricesOnly = factors(false);
    expect(Object.keys(matricesOnly)).toEqual(expect.arrayContaining(['wte', 'wpe', 'h0.ln1.g', 'lnf.g', 'h0.mlp.w1']));
    for (const [name, { s, misfit }] of Object.entries(matricesOnly)) {
      expect(s, name).toBeCloseTo(decayedByDefault(name) ? shrink : 1, 5);
      expect(misfit, name).toBeLessThan(1e-6);
    }
    for (const [name, { s }] of Object.entries(factors(true))) expect(s, name).toBeCloseTo(shrink, 5);
  });
});
