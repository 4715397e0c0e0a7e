// Products with relaxed SIMD forced off: the SIMD128 build of the kernel.
import { describe } from 'vitest';
import { forceKernelLevel } from './kernels/runtime';
import { describeProducts } from './products.testing';

forceKernelLevel('simd');

describe('products on wasm, relaxed SIMD forced off', () => {
  describeProducts('simd');
});
