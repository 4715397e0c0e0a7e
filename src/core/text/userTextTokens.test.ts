// The decoder page checks a pasted text where it is typed with the rule the
// training worker applies (train/data/gpt.ts): enough tokens of the chosen
// tokenizer for the context length in the training part and in the held-out
// tenth. Before, a text of 239 to 1,400 characters passed the 200-character
// check and failed only at Train ("held-out text has 49 tokens").
import { describe, expect, it } from 'vitest';
import { buildCharTokenizer, buildWordTokenizer, countTokens } from '../tokenizer';
import {
  checkUserInput,
  measureUserText,
  splitHeldOut,
  textTokenProblem,
  userTextMinimum,
  userTextProblem,
} from './userText';

const SENTENCE = 'The mouse ate the cheese, and then it slept. ';

describe('countTokens', () => {
  it('counts what encode returns, for any vocabulary (unseen pieces are one <unk> each)', () => {
    const train = 'the cat sat on the mat. 😀 héllo, world! ';
    const texts = [train, 'zebra QUIZ ½ 日本語 😀😀 — x', '', '   ', "it's well-known (really)."];
    const char = buildCharTokenizer(train);
    const word = buildWordTokenizer(train, 50);
    for (const t of texts) {
      expect(countTokens(t, 'char'), t).toBe(char.encode(t).length);
      expect(countTokens(t, 'word'), t).toBe(word.encode(t).length);
    }
  });
});

describe('textTokenProblem', () => {
  it('asks for context + 1 tokens in each text', () => {
    expect(textTokenProblem({ train: 65, heldOut: 65 }, 64)).toBeNull();
    expect(textTokenProblem({ train: 64, heldOut: 500 }, 64)).toBe(
      'The training text has 64 tokens; a context length of 64 needs at least 65.',
    );
    expect(textTokenProblem({ train: 500, heldOut: 49 }, 64)).toBe(
      'The held-out text has 49 tokens; a context length of 64 needs at least 65.',
    );
  });
});

describe('userTextProblem: the check where the text is typed', () => {
  it('refuses the texts that passed the 200-character check but failed at Train', () => {
    for (const length of [239, 600, 640]) {
      const text = SENTENCE.repeat(20).slice(0, length);
      const check = checkUserInput({ kind: 'text', text });
      expect(check.ok, `${length}`).toBe(true);
      const m = check.ok ? check.value : measureUserText(text);
      const problem = userTextProblem(m, 'char', 64)!;
      expect(problem, `${length}`).toMatch(
        /^The held-out text has \d+ tokens; a context length of 64 needs at least 65\./,
      );
      expect(problem).toMatch(/add about [\d,]+ more characters, or choose a shorter context\./);
    }
    // 1,400 characters are about 280 words: a 28-word held-out tenth for a 64-word context.
    const words = measureUserText(SENTENCE.repeat(40).slice(0, 1400));
    expect(userTextProblem(words, 'char', 64)).toBeNull();
    expect(userTextProblem(words, 'word', 64)).toMatch(/^The held-out text has \d+ tokens/);
    expect(userTextProblem(words, 'word', 16)).toBeNull();
  });

  it('accepts a text once it has enough, and the hint says about how much that is', () => {
    const need = userTextMinimum('char', 64);
    expect(need).toBeGreaterThan(700);
    const m = measureUserText(SENTENCE.repeat(Math.ceil(need / SENTENCE.length)));
    expect(userTextProblem(m, 'char', 64)).toBeNull();
    expect(userTextMinimum('char', 4)).toBe(200);
  });

  it('measures the split the page trains on', () => {
    const text = SENTENCE.repeat(30).trim();
    const m = measureUserText(text);
    expect({ train: m.train, heldOut: m.heldOut }).toEqual(splitHeldOut(text));
    expect(m.tokens.char).toEqual({ train: [...m.train].length, heldOut: [...m.heldOut].length });
    expect(m.charVocab).toBe(buildCharTokenizer(m.train).vocab.length);
  });

  it('checks an uploaded file the same way', () => {
    const bytes = new TextEncoder().encode(SENTENCE.repeat(30));
    const check = checkUserInput({ kind: 'file', name: 'a.txt', size: bytes.length, bytes });
    expect(check.ok && check.value.tokens.word.train).toBeGreaterThan(200);
    expect(checkUserInput({ kind: 'file', name: 'b.txt', size: 0, bytes: new Uint8Array() })).toMatchObject({
      ok: false,
      error: expect.stringContaining('"b.txt" is empty'),
    });
  });
});
