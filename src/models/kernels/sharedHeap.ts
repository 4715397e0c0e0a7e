// tfjs-backend-wasm's heap as a shared memory, so the notebook's helper
// thread (threads.ts) can compute on the very tensors the trainer holds.
//
// tfjs's SIMD binary defines its own memory (1 memory, flags 0x01: a minimum
// and a maximum, not shared). Setting the shared bit (flags 0x03) is the whole
// change: the code, sizes and layout stay as they are; the memory's buffer
// becomes a SharedArrayBuffer, which a page may only have when it is
// cross-origin isolated. tfjs's threaded build would give the same, but it
// starts eight pthread workers at init and crashes in minified builds
// (shared/notes/browser-training.md); this one starts none.

const MEMORY_SECTION = 5;

function leb128(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80 && at < bytes.length);
  return [value, at];
}

/**
 * A copy of the WebAssembly binary `bytes` whose one defined memory is
 * shared, or null when it is not a binary with exactly one memory that has a
 * maximum (a shared memory needs one), so the caller keeps the original.
 */
export function shareMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) return null;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb128(bytes, at + 1);
    if (id === MEMORY_SECTION) {
      const [count, flagsAt] = leb128(bytes, start);
      if (count !== 1 || bytes[flagsAt] !== 0x01) return null;
      const out = new Uint8Array(bytes);
      out[flagsAt] = 0x03;
      return out;
    }
    at = start + size;
  }
  return null;
}
