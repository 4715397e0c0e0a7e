// Products at the best level this engine has: relaxed SIMD where it validates
// (Node 22, Chromium), SIMD otherwise (Node 20).
import { describe } from 'vitest';
import { describeProducts } from './products.testing';

const relaxedSimd = WebAssembly.validate(
  // A module with one function using f32x4.relaxed_madd.
  Uint8Array.from(atob('AGFzbQEAAAABCAFgA3t7ewF7AwIBAAoNAQsAIAAgASAC/YUCCw=='), (c) => c.charCodeAt(0)),
);

describe(`products on wasm (${relaxedSimd ? 'relaxed SIMD' : 'SIMD'})`, () => {
  describeProducts(relaxedSimd ? 'relaxed' : 'simd');
});
