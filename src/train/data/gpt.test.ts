// The GPT data preparation and the decoder page's custom-text field apply one
// rule (core's textTokenProblem): what the field accepts, the worker trains.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { measureUserText, userTextProblem } from '../../core';
import type { ModelSpec } from '../contract';
import { prepareGptData } from './gpt';

const model = (tokenizer: 'char' | 'word', contextLength: number): ModelSpec => ({
  tokenizer,
  wordVocab: 2000,
  nLayers: 1,
  dModel: 16,
  nHeads: 2,
  contextLength,
});

describe('prepareGptData and the custom-text check', () => {
  const text = 'The mouse ate the cheese, and then it slept. '.repeat(14);

  it('refuses with the same message the field shows', async () => {
    const m = measureUserText(text);
    const problem = userTextProblem(m, 'char', 64)!;
    expect(problem).not.toBeNull();
    await expect(
      prepareGptData({ kind: 'text', train: m.train, heldOut: m.heldOut }, model('char', 64)),
    ).rejects.toThrow(problem.slice(0, problem.indexOf('.') + 1));
  });

  it('trains what the field accepts', async () => {
    const m = measureUserText(text);
    for (const [kind, ctx] of [
      ['char', 32],
      ['word', 8],
    ] as const) {
      expect(userTextProblem(m, kind, ctx)).toBeNull();
      const data = await prepareGptData({ kind: 'text', train: m.train, heldOut: m.heldOut }, model(kind, ctx));
      expect(data.train.length).toBe(m.tokens[kind].train);
      expect(data.heldOut.length).toBe(m.tokens[kind].heldOut);
    }
  });
});

describe('prepareGptData on a corpus', () => {
  const FILE = {
    source: 'test',
    documents: [
      { id: 'a', category: 'c', sentences: ['The cat sat on the mat.', 'It slept all day long.'] },
      { id: 'b', category: 'c', sentences: ['A dog ran by the river and barked at the ducks.'] },
    ],
    split: { train: ['a'], heldOut: ['b'] },
  };

  afterEach(() => vi.unstubAllGlobals());

  it('tokenises a corpus once per tokenizer, and still checks each run’s context length', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(FILE)));
    vi.stubGlobal('fetch', fetchMock);
    const source = { kind: 'corpus', name: 'brown', url: 'https://x/prepared-test.json' } as const;
    const first = await prepareGptData(source, model('char', 8));
    const again = await prepareGptData(source, { ...model('char', 16), dModel: 32 });
    expect(again.train).toBe(first.train);
    expect(again.tokenizer).toBe(first.tokenizer);
    expect(first.tokenizer.decode(Array.from(first.train))).toBe('The cat sat on the mat. It slept all day long.');
    // The held-out document has 47 characters: a context of 64 is refused, from the kept tokens.
    await expect(prepareGptData(source, model('char', 64))).rejects.toThrow();
    const words = await prepareGptData(source, model('word', 4));
    expect(words.train).not.toBe(first.train);
    expect(words.tokenizer.kind).toBe('word');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
