// Products with the own kernels forced off: XNNPACK with materialised
// transposes and tfjs's ops, as on a browser without WebAssembly SIMD.
import { describe } from 'vitest';
import { forceKernelLevel } from './kernels/runtime';
import { describeProducts } from './products.testing';

forceKernelLevel('off');

describe('products on wasm, own kernels forced off', () => {
  describeProducts('off');
});
