// The model on the wasm backend (what the notebook trains with on machines
// without a GPU), against the same PyTorch fixture. wasm takes other code
// paths in products.ts (explicit transposes, one-hot embedding forward,
// column sums by matMul) and lacks kernels cpu has (UnsortedSegmentSum).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { disposeParams, gptLogits, gptLoss, gptTokenNll } from './gpt';
import { goldenBatch, goldenParams, loadGptGolden, scaledError } from './fixtures/golden';

const golden = loadGptGolden();
const cfg = golden.config;
const TOL = 2e-5;

describe('GPT on the wasm backend', () => {
  beforeAll(async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches PyTorch logits, NLL and every gradient', () => {
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    const p = goldenParams(golden);
    const { ids, targets } = goldenBatch(golden);
    const [logits, nll] = tf.tidy(() => [gptLogits(p, cfg, ids), gptTokenNll(p, cfg, ids, targets)]);
    expect(scaledError(logits.dataSync(), golden.logits)).toBeLessThan(TOL);
    expect(scaledError(nll.dataSync(), golden.tokenNll)).toBeLessThan(TOL);
    const names = Object.keys(p);
    const { value, grads } = tf.variableGrads(
      () => gptLoss(p, cfg, ids, targets),
      names.map((n) => p[n]),
    );
    expect(Math.abs(value.dataSync()[0] - golden.loss) / golden.loss).toBeLessThan(TOL);
    for (const name of names) {
      expect(scaledError(grads[p[name].name].dataSync(), golden.grads[name]), name).toBeLessThan(TOL);
    }
    tf.dispose([logits, nll, value, ids, targets, ...Object.values(grads)]);
    disposeParams(p);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('handles a sequence shorter than the context (slices wpe, pads its gradient)', () => {
    const p = goldenParams(golden);
    const { ids, targets } = goldenBatch(golden);
    const short = tf.slice(ids, [0, 0], [-1, 4]) as tf.Tensor2D;
    const shortTargets = tf.slice(targets, [0, 0], [-1, 4]) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => gptLoss(p, cfg, short, shortTargets), [p['wpe'], p['wte']]);
    const dWpe = grads[p['wpe'].name].arraySync() as number[][];
    expect(dWpe.length).toBe(cfg.contextLength);
    expect(
      dWpe
        .slice(4)
        .flat()
        .every((x) => x === 0),
    ).toBe(true);
    expect(
      dWpe
        .slice(0, 4)
        .flat()
        .some((x) => x !== 0),
    ).toBe(true);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    tf.dispose([ids, targets, short, shortTargets, value, ...Object.values(grads)]);
    disposeParams(p);
  });
});
