import { describe, expect, it } from 'vitest';
import { niceTicks } from './LossChart';
import { bucketSeries } from './MetricChart';

const points = (values: number[]) => values.map((value, i) => ({ step: i + 1, value }));

describe('bucketSeries', () => {
  it('keeps short curves as they are', () => {
    expect(bucketSeries(points([3, 2]), 10)).toEqual([
      { step: 1, value: 3 },
      { step: 2, value: 2 },
    ]);
  });
  it('averages long curves in equal buckets, labelled by their last step and carrying their first', () => {
    expect(bucketSeries(points([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 4)).toEqual([
      { step: 3, value: 1, from: 1 },
      { step: 6, value: 4, from: 4 },
      { step: 9, value: 7, from: 7 },
      { step: 10, value: 9, from: 10 },
    ]);
  });
  it('draws at most 150 points by default', () => {
    expect(bucketSeries(points(Array.from({ length: 1000 }, (_, i) => i))).length).toBeLessThanOrEqual(150);
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
