// Shared by the forced-fallback tests (*.off.wasm.test.ts): each runs in its
// own file, so its module graph loads the kernels for the first time after
// the cap, the way a browser without WebAssembly SIMD (or `?kernels=off`)
// meets them.
import { afterAll, beforeAll, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { forceKernelLevel, kernelLevel, type KernelBinaries } from './runtime';

/** Caps the kernels 'off' and starts wasm before the file's tests; undoes both after them. */
export function onWasmWithKernelsOff(): void {
  beforeAll(async () => {
    forceKernelLevel('off');
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    forceKernelLevel(null);
    await tf.setBackend('cpu');
  });
}

/** The module reports 'off', its availability check says no, and none of its kernels is registered. */
export function expectKernelsOff(binaries: KernelBinaries, available: () => boolean, kernelNames: string[]): void {
  expect(kernelLevel(binaries)).toBe('off');
  expect(available()).toBe(false);
  for (const name of kernelNames) expect(tf.getKernel(name, 'wasm')).toBeUndefined();
}
