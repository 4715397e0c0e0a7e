import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  countParams,
  disposeParams,
  gptLogits,
  gptLoss,
  gptParamInfo,
  gptTokenNll,
  initGptParams,
  XAVIER_INIT,
  type GptConfig,
} from './gpt';
import { goldenBatch, goldenParams, loadGptGolden, scaledError, testRng } from './fixtures/golden';

// PyTorch computes in float64, tfjs in float32: errors seen are ~5e-7 of each
// tensor's scale, so 2e-5 has margin while still catching a wrong formula.
const TOL = 2e-5;

const golden = loadGptGolden();
const cfg = golden.config;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GPT parameters', () => {
  it('has the names, shapes and count of the PyTorch reference', () => {
    const info = gptParamInfo(cfg);
    expect(info.map((p) => p.name)).toEqual(Object.keys(golden.params));
    for (const p of info) expect(p.shape).toEqual(golden.params[p.name].shape);
    const total = Object.values(golden.params).reduce((n, p) => n + p.values.length, 0);
    expect(countParams(cfg)).toBe(total);
    const { vocabSize: V, contextLength: T, dModel: d, nLayers: L } = cfg;
    expect(total).toBe(V * d + T * d + L * (12 * d * d + 13 * d) + 2 * d);
  });

  it('counts the default model', () => {
    expect(countParams({ vocabSize: 96, contextLength: 64, dModel: 64, nLayers: 2, nHeads: 4 })).toBe(110336);
  });

  it('rejects a width that does not split into heads', () => {
    expect(() => countParams({ ...cfg, nHeads: 3 })).toThrow(/divisible/);
  });

  it('initialises deterministically from the rng, GPT-2 style', () => {
    const big: GptConfig = { vocabSize: 50, contextLength: 16, dModel: 32, nLayers: 4, nHeads: 4 };
    const a = initGptParams(big, testRng(7));
    const b = initGptParams(big, testRng(7));
    const std = (v: tf.Variable) => tf.tidy(() => Math.sqrt(tf.moments(v).variance.dataSync()[0]));
    try {
      for (const name of Object.keys(a)) expect(a[name].dataSync()).toEqual(b[name].dataSync());
      expect(std(a['wte'])).toBeCloseTo(0.02, 2);
      expect(std(a['h0.mlp.w1'])).toBeCloseTo(0.02, 2);
      expect(std(a['h1.mlp.w2']) / 0.02).toBeCloseTo(1 / Math.sqrt(8), 1);
      expect(std(a['h2.attn.wo']) / 0.02).toBeCloseTo(1 / Math.sqrt(8), 1);
      expect(Array.from(a['h3.attn.bqkv'].dataSync()).every((x) => x === 0)).toBe(true);
      expect(Array.from(a['lnf.g'].dataSync()).every((x) => x === 1)).toBe(true);
    } finally {
      disposeParams(a);
      disposeParams(b);
    }
    const x = initGptParams(big, testRng(7), XAVIER_INIT);
    try {
      expect(std(x['h0.mlp.w2']) * Math.sqrt(4 * 32)).toBeCloseTo(1, 1);
      expect(std(x['h0.attn.wqkv']) * Math.sqrt(32)).toBeCloseTo(1, 1);
    } finally {
      disposeParams(x);
    }
  });

  it('starts near the uniform loss ln V and frees everything on dispose', () => {
    const before = tf.memory().numTensors;
    const big: GptConfig = { vocabSize: 40, contextLength: 12, dModel: 16, nLayers: 2, nHeads: 2 };
    const p = initGptParams(big, testRng(3));
    const rng = testRng(4);
    const random = () =>
      tf.tensor2d(
        Array.from({ length: 3 * 12 }, () => Math.floor(rng() * 40)),
        [3, 12],
        'int32',
      );
    const [ids, targets] = [random(), random()];
    const loss = tf.tidy(() => gptLoss(p, big, ids, targets));
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(40), 1);
    tf.dispose([ids, targets, loss]);
    disposeParams(p);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('GPT forward and backward against PyTorch', () => {
  it('matches logits, per-token NLL and loss', () => {
    const p = goldenParams(golden);
    const { ids, targets } = goldenBatch(golden);
    const [logits, nll, loss] = tf.tidy(() => [
      gptLogits(p, cfg, ids),
      gptTokenNll(p, cfg, ids, targets),
      gptLoss(p, cfg, ids, targets),
    ]);
    expect(logits.shape).toEqual([golden.batch, cfg.contextLength, cfg.vocabSize]);
    expect(nll.shape).toEqual([golden.batch, cfg.contextLength]);
    expect(scaledError(logits.dataSync(), golden.logits)).toBeLessThan(TOL);
    expect(scaledError(nll.dataSync(), golden.tokenNll)).toBeLessThan(TOL);
    expect(Math.abs(loss.dataSync()[0] - golden.loss) / golden.loss).toBeLessThan(TOL);
    tf.dispose([logits, nll, loss, ids, targets]);
    disposeParams(p);
  });

  it('matches the gradient of every parameter', () => {
    const p = goldenParams(golden);
    const { ids, targets } = goldenBatch(golden);
    const names = Object.keys(p);
    const { value, grads } = tf.variableGrads(
      () => gptLoss(p, cfg, ids, targets),
      names.map((n) => p[n]),
    );
    for (const name of names) {
      const g = grads[p[name].name];
      expect(g.shape, name).toEqual(golden.params[name].shape);
      const err = scaledError(g.dataSync(), golden.grads[name]);
      if (process.env.GOLDEN_VERBOSE) console.log(name, err.toExponential(2));
      expect(err, name).toBeLessThan(TOL);
    }
    tf.dispose([value, ids, targets, ...Object.values(grads)]);
    disposeParams(p);
  });

  it('is causal, and a shorter sequence gives the prefix of the logits', () => {
    const p = goldenParams(golden);
    const { ids } = goldenBatch(golden);
    const T = cfg.contextLength;
    const [full, changed, prefix] = tf.tidy(() => {
      // Change the last token: positions 0..T-2 must not see it.
      const last = tf.slice(ids, [0, T - 1], [-1, 1]);
      const ids2 = tf.concat([tf.slice(ids, [0, 0], [-1, T - 1]), tf.mod(tf.add(last, 1), cfg.vocabSize)], 1);
      return [
        gptLogits(p, cfg, ids),
        gptLogits(p, cfg, ids2 as tf.Tensor2D),
        gptLogits(p, cfg, tf.slice(ids, [0, 0], [-1, 3])),
      ];
    });
    const head = (t: tf.Tensor3D, n: number) => tf.tidy(() => tf.slice(t, [0, 0, 0], [-1, n, -1]).dataSync());
    expect(scaledError(head(changed, T - 1), head(full, T - 1))).toBeLessThan(1e-6);
    expect(scaledError(head(changed, T), head(full, T))).toBeGreaterThan(1e-3);
    expect(scaledError(prefix.dataSync(), head(full, 3))).toBeLessThan(1e-5);
    tf.dispose([full, changed, prefix, ids]);
    disposeParams(p);
  });

  it('rejects sequences longer than the context', () => {
    const p = goldenParams(golden);
    const ids = tf.zeros([1, cfg.contextLength + 1], 'int32') as tf.Tensor2D;
    expect(() => tf.tidy(() => gptLogits(p, cfg, ids))).toThrow(/contextLength/);
    ids.dispose();
    disposeParams(p);
  });
});
