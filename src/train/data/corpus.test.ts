import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  declaredLength,
  loadCorpusFile,
  readWithProgress,
  setCorpusProgressListener,
  type CorpusProgress,
} from './corpus';

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

describe('loadCorpusFile', () => {
  const FILE = {
    source: 's',
    documents: [{ id: 'a', category: 'c', sentences: ['Hi.'] }],
    split: { train: ['a'], heldOut: [] },
  };

  afterEach(() => {
    vi.unstubAllGlobals();
    setCorpusProgressListener(null);
  });

  it('downloads a url once for every caller, and a listener set while it runs hears where it stands', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const fetchMock = vi.fn(async () => {
      await held;
      return new Response(JSON.stringify(FILE));
    });
    vi.stubGlobal('fetch', fetchMock);
    const first = loadCorpusFile('https://x/one.json');
    const second = loadCorpusFile('https://x/one.json');
    const heard: CorpusProgress[] = [];
    setCorpusProgressListener((p) => heard.push(p));
    // Started before anyone listened: the late listener is told at once.
    expect(heard).toEqual([{ loaded: 0, total: null }]);
    release();
    expect(await first).toBe(await second);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(heard.at(-1)).toEqual({ loaded: JSON.stringify(FILE).length, total: JSON.stringify(FILE).length });
    // Done: a new listener hears nothing, and the file is not fetched again.
    const later: CorpusProgress[] = [];
    setCorpusProgressListener((p) => later.push(p));
    expect(await loadCorpusFile('https://x/one.json')).toBe(await first);
    expect(later).toEqual([]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed download, so the next create tries again', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(new Response('gone', { status: 404, statusText: 'Not Found' }))
      .mockResolvedValueOnce(new Response(JSON.stringify(FILE)));
    vi.stubGlobal('fetch', fetchMock);
    await expect(loadCorpusFile('https://x/two.json')).rejects.toThrow(/404 Not Found/);
    expect((await loadCorpusFile('https://x/two.json')).documents[0].id).toBe('a');
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
