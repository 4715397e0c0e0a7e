// shareMemory against tfjs's own SIMD binary (the one the trainer loads) and
// against binaries it must leave alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { shareMemory } from './sharedHeap';

const tfjsSimd = () =>
  new Uint8Array(
    readFileSync(
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
    ),
  );

/** A module with one memory section: `limits` after the count (flags, min[, max]). */
const withMemory = (...limits: number[]) =>
  new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, limits.length + 1, 0x01, ...limits]);

describe('shareMemory', () => {
  it("makes tfjs's SIMD binary define a shared memory and changes nothing else", async () => {
    const original = tfjsSimd();
    const shared = shareMemory(original)!;
    expect(shared).not.toBeNull();
    expect(shared.length).toBe(original.length);
    const changed = [...shared.keys()].filter((i) => shared[i] !== original[i]);
    expect(changed).toHaveLength(1);
    expect([original[changed[0]], shared[changed[0]]]).toEqual([0x01, 0x03]);
    expect(WebAssembly.validate(shared)).toBe(true);
    // The memory it defines is the one tfjs exports (Emscripten's `asm.memory`).
    expect(WebAssembly.Module.exports(new WebAssembly.Module(shared)).some((e) => e.kind === 'memory')).toBe(true);
  });

  it('shares a minimal module whose memory has a maximum, and its memory is a SharedArrayBuffer', () => {
    const bytes = new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...[0x05, 0x04, 0x01, 0x01, 0x01, 0x02], // memory: min 1, max 2
      ...[0x07, 0x07, 0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00], // export "mem" memory 0
    ]);
    const shared = shareMemory(bytes)!;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(shared));
    expect((instance.exports.mem as WebAssembly.Memory).buffer).toBeInstanceOf(SharedArrayBuffer);
    const plain = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((plain.exports.mem as WebAssembly.Memory).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('leaves alone what it cannot share: no maximum, already shared, not wasm, no memory', () => {
    expect(shareMemory(withMemory(0x00, 0x01))).toBeNull();
    expect(shareMemory(withMemory(0x03, 0x01, 0x02))).toBeNull();
    expect(shareMemory(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBeNull();
    expect(shareMemory(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))).toBeNull();
  });
});
