// The committed kernel binaries are exactly what their .wat sources assemble
// to, and the relaxed-SIMD build differs from the SIMD one only by fusing
// multiply-adds.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as build from './build_kernels.mjs';
import { GEMM_WASM } from '../src/models/kernels/gemmBinary';

const { binaryModule, relaxedSource, sharedSource } = build as {
  binaryModule: (name: string, source: string) => Promise<string>;
  relaxedSource: (source: string) => string | null;
  sharedSource: (source: string) => string;
};

const DIR = new URL('../src/models/kernels/', import.meta.url);

describe('WebAssembly kernels', () => {
  const sources = readdirSync(DIR).filter((f) => f.endsWith('.wat'));

  it('has at least the gemm kernel', () => {
    expect(sources).toContain('gemm.wat');
  });

  it.each(sources)('%s matches its committed binary (npm run kernels)', async (file) => {
    const name = file.slice(0, -4);
    const text = await binaryModule(name, readFileSync(new URL(file, DIR), 'utf8'));
    expect(text).toBe(readFileSync(new URL(`${name}Binary.ts`, DIR), 'utf8'));
  });

  it('rewrites an accumulator multiply-add, and nothing else, for the relaxed build', () => {
    const simd = '(local.set $x0 (f32x4.add (local.get $x0) (f32x4.mul (local.get $s) (local.get $b0))))';
    expect(relaxedSource(simd)).toBe(
      '(local.set $x0 (f32x4.relaxed_madd (local.get $s) (local.get $b0) (local.get $x0)))',
    );
    expect(relaxedSource('(f32x4.add (local.get $a) (local.get $b))')).toBeNull();
    const gemm = readFileSync(new URL('gemm.wat', DIR), 'utf8');
    const relaxed = relaxedSource(gemm)!;
    expect(relaxed.match(/relaxed_madd/g)).toHaveLength(8); // the 4 x 8 tile's eight accumulators
    expect(relaxed.replace(/\(f32x4\.relaxed_madd[^\n]*/g, '')).toBe(
      gemm.replace(/\(f32x4\.add \(local\.get \$x\d[^\n]*/g, ''),
    );
  });

  it("builds gemm's helper-thread builds on a shared memory, the code otherwise the same", () => {
    const gemm = readFileSync(new URL('gemm.wat', DIR), 'utf8');
    const shared = sharedSource(gemm);
    expect(shared).toContain('(import "env" "memory" (memory 1 65536 shared))');
    expect(shared.replace('(memory 1 65536 shared)', '(memory 1)')).toBe(gemm);
    const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    expect(GEMM_WASM.shared?.relaxed).toBeDefined();
    // Node 20 has no relaxed SIMD: it checks the SIMD build (Node 22, CI's, both).
    const builds = [GEMM_WASM.shared!.simd, GEMM_WASM.shared!.relaxed!]
      .map(bytes)
      .filter((b) => WebAssembly.validate(b));
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds) {
      const module = new WebAssembly.Module(build);
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      expect(Object.keys(instance.exports)).toContain('gemm');
      // A shared build refuses tfjs's own (unshared) memory.
      expect(
        () => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } }),
      ).toThrow();
    }
  });
});
