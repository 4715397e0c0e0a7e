// T5 folds attention's 1/sqrt(d_head) into the query projection's init. Two
// checks: the folded model computes exactly what the standard one computes
// once its query weights carry the factor, and the init draws the query
// columns with std 1/sqrt(d * d_head) and the rest with Xavier's 1/sqrt(d).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { disposeParams, gptLogits, initGptParams, T5_INIT, XAVIER_INIT, type GptConfig } from './gpt';
import { makeRng } from '../core';

const cfg: GptConfig = { vocabSize: 11, contextLength: 6, dModel: 16, nLayers: 2, nHeads: 4 };
const dh = cfg.dModel / cfg.nHeads;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function std(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s / values.length);
}

describe('T5 attention scaling', () => {
  it('the folded model with q weights times 1/sqrt(d_head) equals the standard model', () => {
    const params = initGptParams(cfg, makeRng(3), XAVIER_INIT);
    const ids = tf.tensor2d(
      [
        [1, 2, 3, 4, 5, 6],
        [6, 5, 4, 3, 2, 1],
      ],
      [2, 6],
      'int32',
    );
    const standard = gptLogits(params, cfg, ids);
    // Scale the q block (first d columns of wqkv and bqkv) in place.
    for (let i = 0; i < cfg.nLayers; i++) {
      for (const name of [`h${i}.attn.wqkv`, `h${i}.attn.bqkv`]) {
        const v = params[name];
        const d = cfg.dModel;
        const mask = tf.concat([tf.fill([d], 1 / Math.sqrt(dh)), tf.ones([2 * d])]);
        v.assign(tf.mul(v, mask));
      }
    }
    const folded = gptLogits(params, { ...cfg, foldedAttentionScale: true }, ids);
    const diff = tf.max(tf.abs(tf.sub(standard, folded))).dataSync()[0];
    expect(diff).toBeLessThan(1e-5);
    // And the fold matters: without the flag the scaled weights give different logits.
    const unfoldedScaled = gptLogits(params, cfg, ids);
    expect(tf.max(tf.abs(tf.sub(standard, unfoldedScaled))).dataSync()[0]).toBeGreaterThan(1e-4);
    disposeParams(params);
  });

  it('draws the query columns with std 1/sqrt(d d_head) and keys, values with 1/sqrt(d)', () => {
    const big: GptConfig = { ...cfg, dModel: 64, nHeads: 4, nLayers: 1 };
    const d = big.dModel;
    const params = initGptParams(big, makeRng(5), T5_INIT);
    const w = params['h0.attn.wqkv'].arraySync() as number[][]; // [d, 3d]
    const q = w.flatMap((row) => row.slice(0, d));
    const kv = w.flatMap((row) => row.slice(d));
    // 4096 and 8192 draws: the sample std is within ~3% of the truth.
    expect(std(q)).toBeCloseTo(1 / Math.sqrt(d * (d / big.nHeads)), 2);
    expect(std(q) * Math.sqrt(d * (d / big.nHeads))).toBeGreaterThan(0.95);
    expect(std(q) * Math.sqrt(d * (d / big.nHeads))).toBeLessThan(1.05);
    expect(std(kv) * Math.sqrt(d)).toBeGreaterThan(0.95);
    expect(std(kv) * Math.sqrt(d)).toBeLessThan(1.05);
    disposeParams(params);
  });
});
