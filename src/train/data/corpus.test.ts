import { describe, expect, it } from 'vitest';
import { declaredLength, readWithProgress, type CorpusProgress } from './corpus';

/** A response whose body arrives in `chunks`, with the given headers. */
function streamed(chunks: string[], headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  return new Response(body, { headers });
}

describe('the corpus download', () => {
  it('reports the bytes read so far and the declared total, ending at the whole body', async () => {
    const seen: CorpusProgress[] = [];
    let clock = 0;
    // Each read is 200 ms apart, so every chunk is reported.
    const text = await readWithProgress(
      streamed(['{"a":', '"é"', '}'], { 'Content-Length': '10' }),
      (p) => seen.push(p),
      () => (clock += 200),
    );
    expect(text).toBe('{"a":"é"}');
    expect(seen[0]).toEqual({ loaded: 0, total: 10 });
    expect(seen.map((p) => p.loaded)).toEqual([0, 5, 9, 10, 10]);
    expect(seen.at(-1)).toEqual({ loaded: 10, total: 10 });
  });

  it('reports at most every 100 ms while bytes arrive, and the total once it is known', async () => {
    const seen: CorpusProgress[] = [];
    const text = await readWithProgress(
      streamed(['ab', 'cd', 'ef']),
      (p) => seen.push(p),
      () => 0,
    );
    expect(text).toBe('abcdef');
    expect(seen).toEqual([
      { loaded: 0, total: null },
      { loaded: 2, total: null },
      { loaded: 6, total: 6 },
    ]);
  });

  it('without a listener reads the body whole', async () => {
    expect(await readWithProgress(streamed(['x', 'y']), null)).toBe('xy');
  });

  it('trusts Content-Length only for an uncompressed body', () => {
    expect(declaredLength(new Headers({ 'Content-Length': '6143210' }))).toBe(6143210);
    expect(declaredLength(new Headers({ 'Content-Length': '900', 'Content-Encoding': 'gzip' }))).toBeNull();
    expect(declaredLength(new Headers())).toBeNull();
  });
});
