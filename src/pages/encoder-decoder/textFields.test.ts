// The page's text fields refuse a text too long for them with a message (a
// 100,000-letter "word" used to be taken as one word and drawn as one line).
import { describe, expect, it } from 'vitest';
import { lengthProblem } from './passage';
import { MAX_SENTENCE_CHARS, sentenceProblem } from './TextToText';

describe('text field limits', () => {
  it('the text-to-text sentence', () => {
    expect(sentenceProblem('all animals breathe.')).toBeNull();
    expect(sentenceProblem('x'.repeat(100_000))).toBe('Keep the sentence under 400 characters (it has 100,000).');
    expect(sentenceProblem('y'.repeat(MAX_SENTENCE_CHARS))).toBeNull();
    expect(sentenceProblem('word '.repeat(61))).toBe('Keep it under 60 words.');
    expect(sentenceProblem('   ')).toBe('Type a sentence.');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(lengthProblem('😀'.repeat(10), 10, 'passage')).toBeNull();
    expect(lengthProblem('😀'.repeat(11), 10, 'passage')).toBe('Keep the passage under 10 characters (it has 11).');
  });
});
