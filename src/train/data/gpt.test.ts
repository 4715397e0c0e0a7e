// The GPT data preparation and the decoder page's custom-text field apply one
// rule (core's textTokenProblem): what the field accepts, the worker trains.
import { describe, expect, it } from 'vitest';
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
