import { describe, expect, it } from 'vitest';
import { corpusText, parseCorpusFile, type CorpusFile } from './corpusTypes';

function sample(): CorpusFile {
  return {
    source: 'test',
    documents: [
      { id: 'a', category: 'news', sentences: ['One.', 'Two.'] },
      { id: 'b', category: 'news', sentences: ['Three.'] },
      { id: 'c', category: 'lore', sentences: ['Four.', 'Five.'] },
    ],
    split: { train: ['a', 'c'], heldOut: ['b'] },
  };
}

describe('parseCorpusFile', () => {
  it('accepts a valid file and returns an equal copy', () => {
    const input = sample();
    const parsed = parseCorpusFile(JSON.parse(JSON.stringify(input)));
    expect(parsed).toEqual(input);
  });

  it('drops unknown extra fields', () => {
    const input = { ...sample(), extra: 1 };
    expect(parseCorpusFile(input)).not.toHaveProperty('extra');
  });

  it('rejects non-objects with a clear message', () => {
    expect(() => parseCorpusFile(null)).toThrow(/Invalid corpus file: expected an object, got null/);
    expect(() => parseCorpusFile([])).toThrow(/got an array/);
    expect(() => parseCorpusFile('{"source":"x"}')).toThrow(/JSON.parse/);
  });

  it('rejects missing or mistyped fields and names them', () => {
    const noSource: Record<string, unknown> = { ...sample() };
    delete noSource.source;
    expect(() => parseCorpusFile(noSource)).toThrow(/"source" must be a string/);
    expect(() => parseCorpusFile({ ...sample(), documents: {} })).toThrow(/"documents" must be an array/);
    expect(() => parseCorpusFile({ ...sample(), documents: [] })).toThrow(/"documents" is empty/);

    const badSentence = sample() as unknown as { documents: { sentences: unknown[] }[] };
    badSentence.documents[2].sentences[1] = 42;
    expect(() => parseCorpusFile(badSentence)).toThrow(/documents\[2\]\.sentences\[1\] must be a string, got a number/);

    const badId = sample() as unknown as { documents: { id: unknown }[] };
    badId.documents[0].id = '';
    expect(() => parseCorpusFile(badId)).toThrow(/documents\[0\]\.id must be a non-empty string/);

    const badCat = sample() as unknown as { documents: { category: unknown }[] };
    badCat.documents[1].category = undefined;
    expect(() => parseCorpusFile(badCat)).toThrow(/documents\[1\]\.category/);

    expect(() => parseCorpusFile({ ...sample(), split: null })).toThrow(/"split" must be an object/);
    expect(() => parseCorpusFile({ ...sample(), split: { train: ['a'] } })).toThrow(/split\.heldOut must be an array/);
  });

  it('rejects duplicate ids, unknown split ids and overlapping splits', () => {
    const dup = sample();
    dup.documents[1].id = 'a';
    expect(() => parseCorpusFile(dup)).toThrow(/duplicate document id "a"/);
    expect(() => parseCorpusFile({ ...sample(), split: { train: ['a', 'zz'], heldOut: ['b'] } })).toThrow(
      /split\.train names unknown document "zz"/,
    );
    expect(() => parseCorpusFile({ ...sample(), split: { train: ['a', 'b'], heldOut: ['b'] } })).toThrow(
      /"b" appears more than once/,
    );
  });
});

describe('corpusText', () => {
  it('joins sentences with a space and documents with a newline, in split order', () => {
    const file = sample();
    expect(corpusText(file, 'train')).toBe('One. Two.\nFour. Five.');
    expect(corpusText(file, 'heldOut')).toBe('Three.');
  });

  it('returns an empty string for an empty split', () => {
    const file = sample();
    file.split.heldOut = [];
    expect(corpusText(file, 'heldOut')).toBe('');
  });

  it('throws on a split id without a document', () => {
    const file = sample();
    file.split.train.push('nope');
    expect(() => corpusText(file, 'train')).toThrow(/unknown document "nope"/);
  });
});
