import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, globalNorm } from './clip';
import { loadFixture, maxRelErr, relErr } from './testing';

interface ClipGolden {
  torchEpsilon: number;
  cases: {
    name: string;
    maxNorm: number;
    grads: number[][];
    norm: number;
    clippedTorch: number[][];
    clippedExact: number[][];
  }[];
}

const golden = loadFixture<ClipGolden>('clip_golden.json');

describe('clipByGlobalNorm against torch.nn.utils.clip_grad_norm_', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const grads = c.grads.map((g) => Float64Array.from(g));
    const norm = clipByGlobalNorm(grads, c.maxNorm);
    expect(relErr(norm, c.norm, 1e-300)).toBeLessThan(1e-12);
    grads.forEach((g, i) => {
      // Exact min(1, maxNorm / norm) scaling, computed in numpy from torch's norm.
      expect(maxRelErr(g, c.clippedExact[i])).toBeLessThan(1e-12);
      // Torch divides by norm + 1e-6, so its clipped grads are that much smaller, no more.
      const slack = c.norm > c.maxNorm ? (2 * golden.torchEpsilon) / c.norm : 1e-12;
      expect(maxRelErr(g, c.clippedTorch[i])).toBeLessThan(slack + 1e-12);
    });
    if (c.norm > c.maxNorm) expect(relErr(globalNorm(grads), c.maxNorm)).toBeLessThan(1e-12);
  });
});

describe('clipByGlobalNorm edge cases', () => {
  it('treats all arrays as one vector', () => {
    const grads = [new Float64Array([3]), new Float64Array([4])];
    expect(clipByGlobalNorm(grads, 1)).toBe(5);
    expect(Array.from(grads[0])).toEqual([0.6000000000000001]);
    expect(grads[1][0]).toBeCloseTo(0.8, 15);
  });

  it('leaves gradients alone when the norm is within the limit, zero, or not finite', () => {
    const small = [new Float64Array([0.3, 0.4])];
    expect(clipByGlobalNorm(small, 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(small[0])).toEqual([0.3, 0.4]);
    expect(clipByGlobalNorm([new Float64Array(3)], 0)).toBe(0);
    const bad = [new Float64Array([1, Number.NaN])];
    expect(clipByGlobalNorm(bad, 1)).toBeNaN();
    expect(bad[0][0]).toBe(1);
    expect(clipByGlobalNorm([new Float64Array([Infinity])], 1)).toBe(Infinity);
  });

  it('rejects a negative maxNorm', () => {
    expect(() => clipByGlobalNorm([new Float64Array(1)], -1)).toThrow(RangeError);
  });
});
