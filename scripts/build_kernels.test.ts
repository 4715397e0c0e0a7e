// The committed kernel binaries are exactly what their .wat sources assemble
// to, and the relaxed-SIMD build differs from the SIMD one only by fusing
// multiply-adds.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as build from './build_kernels.mjs';

const { binaryModule, relaxedSource } = build as {
  binaryModule: (name: string, source: string) => Promise<string>;
  relaxedSource: (source: string) => string | null;
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
});
