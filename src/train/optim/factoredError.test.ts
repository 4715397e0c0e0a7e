import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { factoredRelativeError } from './factoredError';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('factoredRelativeError', () => {
  it('is 0 for a rank-1 v (the factored estimate is exact) and ignores vectors', () => {
    const v = tf.tensor2d([1, 2, 3, 2, 4, 6], [2, 3]); // outer([1, 2], [1, 2, 3])
    expect(factoredRelativeError({ v, b: tf.tensor1d([5, 1]) }).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('matches a hand computation on a full-rank v', () => {
    // v = [[1, 0], [0, 1]]: R = [1, 1], C = [1, 1], V = 0.5 everywhere; error = sqrt(4 * 0.25) / sqrt(2).
    const v = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    expect(factoredRelativeError({ v }).dataSync()[0]).toBeCloseTo(1 / Math.sqrt(2), 6);
    // Two matrices pool their squared errors and norms.
    const w = tf.tensor2d([2, 4, 1, 2], [2, 2]); // rank 1: no error, norm^2 = 25
    expect(factoredRelativeError({ v, w }).dataSync()[0]).toBeCloseTo(Math.sqrt(1 / 27), 6);
  });

  it('is 0 when there is nothing to measure, and leaks no tensors', () => {
    const z = tf.zeros([3, 3]);
    const before = tf.memory().numTensors;
    const r = factoredRelativeError({ z });
    expect(r.dataSync()[0]).toBe(0);
    r.dispose();
    const e = factoredRelativeError({});
    expect(e.dataSync()[0]).toBe(0);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
