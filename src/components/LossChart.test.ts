import { describe, expect, it } from 'vitest';
import { bucketMeans, niceTicks } from './LossChart';

const point = (step: number, loss: number) => ({ step, loss, lr: 0, gradNorm: 0, tokensSeen: 0, tokensPerSecond: 0, stepMs: 0 });

describe('bucketMeans', () => {
  it('keeps short curves as they are', () => {
    const pts = [point(1, 3), point(2, 2)];
    expect(bucketMeans(pts, 10)).toEqual([
      { step: 1, loss: 3 },
      { step: 2, loss: 2 },
    ]);
  });
  it('averages long curves in equal buckets, labelled by their last step', () => {
    const pts = Array.from({ length: 10 }, (_, i) => point(i + 1, i));
    expect(bucketMeans(pts, 4)).toEqual([
      { step: 3, loss: 1 },
      { step: 6, loss: 4 },
      { step: 9, loss: 7 },
      { step: 10, loss: 9 },
    ]);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and stays inside the range', () => {
    expect(niceTicks(0, 328, 5)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(2.1, 4.6, 4)).toEqual([2.5, 3, 3.5, 4, 4.5]);
    expect(niceTicks(3, 3, 4)).toEqual([3]);
  });
});
