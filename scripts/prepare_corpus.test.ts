// Unit tests for the detokeniser in prepare_corpus.mjs (the script only runs its
// main() when executed directly, so importing it here has no side effects).
import { describe, expect, it } from 'vitest';
import * as prep from './prepare_corpus.mjs';

const { splitToken, normaliseWord, detokenizeParagraph, brownFileToSentences, buildToy, serialiseCorpus } = prep as {
  splitToken: (t: string) => { word: string; tag: string };
  normaliseWord: (w: string) => string;
  detokenizeParagraph: (s: string[][]) => string[];
  brownFileToSentences: (content: string) => string[];
  buildToy: () => unknown;
  serialiseCorpus: (f: unknown) => string;
};

const line = (s: string) => s.split(' ');

describe('splitToken', () => {
  it('splits at the last slash', () => {
    expect(splitToken('The/at')).toEqual({ word: 'The', tag: 'at' });
    expect(splitToken('Fulton/np-tl')).toEqual({ word: 'Fulton', tag: 'np-tl' });
    expect(splitToken('1/2/cd')).toEqual({ word: '1/2', tag: 'cd' });
    expect(splitToken('and/or/cc')).toEqual({ word: 'and/or', tag: 'cc' });
    expect(splitToken('//in')).toEqual({ word: '/', tag: 'in' });
  });
});

describe('normaliseWord', () => {
  it('maps the rare encoded characters to ASCII', () => {
    expect(normaliseWord('**yl')).toBe('l');
    expect(normaliseWord('**zg')).toBe('G');
    expect(normaliseWord('43*0C.')).toBe('43-degrees-C.');
    expect(normaliseWord('38*0')).toBe('38-degrees');
    expect(normaliseWord('f{t}')).toBe('f(t)');
    expect(normaliseWord("1/4''")).toBe('1/4"');
    expect(normaliseWord("''")).toBe("''");
    expect(normaliseWord('caf\u00e9')).toBe('caf');
  });
});

describe('detokenizeParagraph', () => {
  it('restores natural spacing and quotes', () => {
    expect(
      detokenizeParagraph([
        line(
          "The/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.",
        ),
      ]),
    ).toEqual([
      `The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced "no evidence" that any irregularities took place.`,
    ]);
    expect(detokenizeParagraph([line("``/`` No/rb ,/, no/rb ''/'' ,/, he/pps said/vbd ;/. ;/.")])).toEqual([
      '"No, no", he said;',
    ]);
    expect(detokenizeParagraph([line('A/at test/nn (/( see/vb below/rb )/) ?/. ?/.')])).toEqual([
      'A test (see below)?',
    ]);
  });

  it('handles clitics, abbreviations and single quotes', () => {
    expect(detokenizeParagraph([line("do/do n't/* go/vb ,/, John/np 's/$ dog/nn !/. !/.")])).toEqual([
      "don't go, John's dog!",
    ]);
    expect(detokenizeParagraph([line('won/vbn by/in Ivan/np Allen/np Jr./np ./.')])).toEqual(['won by Ivan Allen Jr.']);
    expect(detokenizeParagraph([line("more/ap '/' pro/nn '/' letters/nns than/cs '/' con/nn '/' ./.")])).toEqual([
      "more 'pro' letters than 'con'.",
    ]);
    expect(detokenizeParagraph([line("He/pps said/vbd :/: '/' Go/vb '/' ''/''")])).toEqual([`He said: 'Go'"`]);
  });

  it('moves closing tokens at the start of a line back to the previous sentence', () => {
    expect(
      detokenizeParagraph([
        line('(/( Some/dti nations/nns disagreed/vbd ./.'),
        line(')/)'),
        line("''/'' ``/`` Fine/jj ''/'' ./."),
      ]),
    ).toEqual(['(Some nations disagreed.)"', '"Fine".']);
  });

  it('drops corpus artefacts: doubled commas, unmatched parens, spurious inch quotes', () => {
    expect(detokenizeParagraph([line('World/nn-tl War/nn-tl 2/cd-tl ,/, ,/, doctors/nns ./.')])).toEqual([
      'World War 2, doctors.',
    ]);
    expect(detokenizeParagraph([line('(/( in/in Chapter/nn 2/cd )/) )/) reflect/vb ./.')])).toEqual([
      '(in Chapter 2) reflect.',
    ]);
    expect(detokenizeParagraph([line("a/at 1/8''/nn ''/'' dia./nn mandrel/nn ./.")])).toEqual(['a 1/8" dia. mandrel.']);
  });
});

describe('brownFileToSentences', () => {
  it('reads paragraphs separated by blank lines with tab-indented first lines', () => {
    const content = '\n\n\tThe/at cat/nn sat/vbd ./.\nIt/pps slept/vbd ./.\n\n\n\t./.\n\n\tDogs/nns bark/vb ./.\r\n';
    expect(brownFileToSentences(content)).toEqual(['The cat sat.', 'It slept.', 'Dogs bark.']);
  });
});

describe('toy corpus', () => {
  it('serialises deterministically', () => {
    expect(serialiseCorpus(buildToy())).toBe(serialiseCorpus(buildToy()));
    expect(() => JSON.parse(serialiseCorpus(buildToy()))).not.toThrow();
  });
});
