// The badge's line about the own kernels: which build, and on how many threads and why.
import { describe, expect, it } from 'vitest';
import { describeKernels, describeSpread } from './BackendBadge';

describe('describeKernels', () => {
  it('names the build and two threads', () => {
    expect(describeKernels({ level: 'relaxed', capped: false, threads: 2 })).toBe(
      'Own WebAssembly kernels: relaxed SIMD (fused multiply-add); 2 threads.',
    );
  });

  it('says why one thread, and what capped the build', () => {
    expect(describeKernels({ level: 'simd', capped: true, threads: 1, oneThreadBecause: 'capped by ?threads=1' })).toBe(
      'Own WebAssembly kernels: SIMD128 (capped by ?kernels=simd); 1 thread (capped by ?threads=1).',
    );
    expect(
      describeKernels({
        level: 'simd',
        capped: false,
        threads: 1,
        oneThreadBecause: 'the page is not cross-origin isolated',
      }),
    ).toBe(
      'Own WebAssembly kernels: SIMD128 (this browser has no relaxed SIMD); 1 thread (the page is not cross-origin isolated).',
    );
  });

  it('says the kernels are off on one thread', () => {
    expect(
      describeKernels({ level: 'off', capped: true, threads: 1, oneThreadBecause: 'the own kernels are off' }),
    ).toBe("Own WebAssembly kernels off: tfjs's wasm ops (capped by ?kernels=off); 1 thread.");
  });
});

describe('describeSpread', () => {
  it('says how many models train on how many workers', () => {
    expect(describeSpread({ workers: 2, arms: 5 })).toBe(
      "This run's 5 models train at once on 2 workers, one thread each.",
    );
  });
});
