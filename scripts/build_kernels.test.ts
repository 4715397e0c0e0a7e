// The committed kernel binaries are exactly what their .wat sources assemble to.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as build from './build_kernels.mjs';

const { compileWat, binaryModule } = build as {
  compileWat: (source: string, file: string) => Promise<Uint8Array>;
  binaryModule: (name: string, bytes: Uint8Array) => string;
};

const DIR = new URL('../src/models/kernels/', import.meta.url);

describe('WebAssembly kernels', () => {
  const sources = readdirSync(DIR).filter((f) => f.endsWith('.wat'));

  it('has at least the gemm kernel', () => {
    expect(sources).toContain('gemm.wat');
  });

  it.each(sources)('%s matches its committed binary (npm run kernels)', async (file) => {
    const name = file.slice(0, -4);
    const bytes = await compileWat(readFileSync(new URL(file, DIR), 'utf8'), file);
    expect(bytes.length).toBeGreaterThan(100);
    expect(binaryModule(name, bytes)).toBe(readFileSync(new URL(`${name}Binary.ts`, DIR), 'utf8'));
  });
});
