import { describe, expect, it } from 'vitest';
import {
  buildCharTokenizer,
  buildWordTokenizer,
  charVocabSize,
  encodeToInt32,
  tokenId,
  tokenPieces,
  UNK_TOKEN,
} from './tokenizer';

describe('buildCharTokenizer', () => {
  const tok = buildCharTokenizer('the cat sat.\nthe mat!');

  it('has <unk> at 0 then the distinct characters sorted by code point', () => {
    expect(tok.kind).toBe('char');
    expect(tok.unkId).toBe(0);
    expect(tok.vocab).toEqual([UNK_TOKEN, '\n', ' ', '!', '.', 'a', 'c', 'e', 'h', 'm', 's', 't']);
  });

  it('round-trips text made of seen characters and maps unseen ones to <unk>', () => {
    const text = 'the cat sat.';
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.encode('tax')).toEqual([tok.vocab.indexOf('t'), tok.vocab.indexOf('a'), 0]);
    expect(tok.decode(tok.encode('tax'))).toBe('ta<unk>');
  });

  it('treats a surrogate pair (emoji) as one character', () => {
    const emoji = buildCharTokenizer('a😀b');
    expect(emoji.vocab).toEqual([UNK_TOKEN, 'a', 'b', '😀']);
    expect(emoji.encode('😀a')).toEqual([3, 1]);
  });

  it('reserves special ids after <unk> that encode never produces', () => {
    const special = buildCharTokenizer('ab[', { specials: ['[MASK]', '<extra_id_0>'] });
    expect(special.vocab.slice(0, 3)).toEqual([UNK_TOKEN, '[MASK]', '<extra_id_0>']);
    expect(tokenId(special, '[MASK]')).toBe(1);
    expect(special.encode('[MASK]')).toEqual([tokenId(special, '['), 0, 0, 0, 0, 0]);
    expect(special.decode([1, 3])).toBe('[MASK][');
    expect(() => buildCharTokenizer('x', { specials: ['x'] })).toThrow(/also occurs/);
    expect(() => buildCharTokenizer('x', { specials: ['[A]', '[A]'] })).toThrow(/distinct/);
  });

  it('gives the ids of the code-point definition on astral characters, lone surrogates and unseen ones', () => {
    // The definition the fast table-based path must match: for..of code points, sorted by code point.
    const reference = (train: string, text: string) => {
      const chars = [...new Set(train)].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
      const vocab = [UNK_TOKEN, ...chars];
      return { vocab, ids: [...text].map((ch) => Math.max(0, vocab.indexOf(ch))) };
    };
    const lone = '\ud83d';
    const train = `zé😀a${lone}b\udc00 🎉é\n${lone}x`;
    const text = `😀${lone}q🎉\udc00é😃${lone}`;
    const t = buildCharTokenizer(train);
    const want = reference(train, text);
    expect(t.vocab).toEqual(want.vocab);
    expect(t.encode(text)).toEqual(want.ids);
    expect(t.encode(train)).toEqual(reference(train, train).ids);
    const ids = encodeToInt32(t, text);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(Array.from(ids)).toEqual(want.ids);
    const words = buildWordTokenizer('The cat, the hat.', 5);
    expect(Array.from(encodeToInt32(words, 'the cat sat.'))).toEqual(words.encode('the cat sat.'));
    expect(charVocabSize(train)).toBe(want.vocab.length);
    expect(charVocabSize(train, { specials: ['#'] })).toBe(want.vocab.length + 1);
    // A one-character special is reserved, not encoded: '#' unseen in training stays <unk>.
    expect(buildCharTokenizer('ab', { specials: ['#'] }).encode('#a')).toEqual([0, 2]);
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => tok.decode([99])).toThrow(RangeError);
    expect(() => tokenId(tok, 'z')).toThrow(/not in the char vocabulary/);
  });
});

describe('buildWordTokenizer', () => {
  const text = "The cat sat. The dog sat, the cat ran! A dog? Atlanta's hard-fought race.";

  it('keeps the maxVocab - 1 most frequent lower-cased tokens, ties alphabetical', () => {
    const tok = buildWordTokenizer(text, 8);
    // the:3, .:2, cat:2, dog:2, sat:2, then count-1 tokens alphabetically: !, ','
    expect(tok.vocab).toEqual([UNK_TOKEN, 'the', '.', 'cat', 'dog', 'sat', '!', ',']);
    expect(tok.encode('THE cat ran')).toEqual([1, 3, 0]);
  });

  it('splits punctuation but keeps inner apostrophes and hyphens', () => {
    const tok = buildWordTokenizer(text, 1000);
    expect(tokenPieces(tok, "Atlanta's hard-fought race.").map((p) => p.text)).toEqual([
      "Atlanta's",
      'hard-fought',
      'race',
      '.',
    ]);
  });

  it('decodes with spaces, none before punctuation or after an opening bracket', () => {
    const tok = buildWordTokenizer('the cat sat ( on the mat ) , then ran ! ok .', 100);
    expect(tok.decode(tok.encode('The cat sat (on the mat), then ran! OK.'))).toBe(
      'the cat sat (on the mat), then ran! ok.',
    );
    expect(tok.decode(tok.encode('the zebra.'))).toBe('the <unk>.');
  });

  it('counts specials inside maxVocab and spaces them like words', () => {
    const tok = buildWordTokenizer(text, 6, { specials: ['[MASK]', '[SEP]'] });
    expect(tok.vocab).toEqual([UNK_TOKEN, '[MASK]', '[SEP]', 'the', '.', 'cat']);
    expect(tok.decode([3, 1, 4])).toBe('the [MASK].');
    expect(() => buildWordTokenizer(text, 2, { specials: ['[MASK]', '[SEP]'] })).toThrow(/maxVocab/);
  });

  it('is deterministic regardless of first-seen order', () => {
    const a = buildWordTokenizer('b a c b a c', 10);
    const b = buildWordTokenizer('c c a b a b', 10);
    expect(a.vocab).toEqual(b.vocab);
    expect(a.vocab).toEqual([UNK_TOKEN, 'a', 'b', 'c']);
  });
});

describe('tokenPieces', () => {
  it('gives each token its id, surface text and offsets', () => {
    const tok = buildWordTokenizer('hello world', 10);
    const text = '  Hello, World';
    const pieces = tokenPieces(tok, text);
    expect(pieces.map((p) => [p.text, p.id])).toEqual([
      ['Hello', tok.vocab.indexOf('hello')],
      [',', 0],
      ['World', tok.vocab.indexOf('world')],
    ]);
    for (const p of pieces) expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(pieces.map((p) => p.id)).toEqual(tok.encode(text));
  });

  it('works for characters, including unseen ones', () => {
    const tok = buildCharTokenizer('ab');
    expect(tokenPieces(tok, 'a😀')).toEqual([
      { id: 1, text: 'a', start: 0, end: 1 },
      { id: 0, text: '😀', start: 1, end: 3 },
    ]);
  });
});
