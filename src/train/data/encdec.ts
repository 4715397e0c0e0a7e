// An encoder-decoder run's data: documents as tokenized sentences, so the
// sentence-level transformations (permutation) have sentences to move.
import { buildWordTokenizer, sentinelName, tokenId, type Tokenizer } from '../../core';
import type { CorpusFile } from '../../core/text/corpusTypes';
import type { DataSource, EncDecModelSpec } from '../contract';
import { loadCorpusFile } from './corpus';
import { preparedOnce } from './prepared';

/** Enough sentinels for every span of the longest passage (at most one span per two words, plus one). */
export const SENTINEL_COUNT = 40;
const SPECIALS = [
  '[PAD]',
  '<s>',
  '</s>',
  '[MASK]',
  ...Array.from({ length: SENTINEL_COUNT }, (_, i) => sentinelName(i)),
];

export interface EncDecSpecialIds {
  pad: number;
  bos: number;
  eos: number;
  mask: number;
  sentinels: number[];
}

export interface EncDecData {
  tokenizer: Tokenizer;
  ids: EncDecSpecialIds;
  train: number[][][];
  heldOut: number[][][];
}

function tokenize(file: CorpusFile, split: 'train' | 'heldOut', tokenizer: Tokenizer): number[][][] {
  const byId = new Map(file.documents.map((d) => [d.id, d] as const));
  return (
    file.split[split]
      .map((id) => (byId.get(id)?.sentences ?? []).map((s) => tokenizer.encode(s)).filter((s) => s.length > 0))
      // Two words at least, so every passage drawn from it has two (see drawPassage).
      .filter((doc) => doc.reduce((n, sentence) => n + sentence.length, 0) >= 2)
  );
}

/** The run's tokenised documents, prepared once per worker for each corpus and vocabulary size (prepared.ts). */
export async function prepareEncDecData(source: DataSource, model: EncDecModelSpec): Promise<EncDecData> {
  if (source.kind !== 'corpus')
    throw new Error('The encoder-decoder demo trains on a corpus with sentence boundaries.');
  const url = source.url;
  return preparedOnce(JSON.stringify(['encdec', url, model.wordVocab]), async () => tokenizeCorpus(url, model));
}

async function tokenizeCorpus(url: string, model: EncDecModelSpec): Promise<EncDecData> {
  const file = await loadCorpusFile(url);
  const byId = new Map(file.documents.map((d) => [d.id, d] as const));
  const trainText = file.split.train.map((id) => byId.get(id)?.sentences.join(' ') ?? '').join('\n');
  const tokenizer = buildWordTokenizer(trainText, model.wordVocab, { specials: SPECIALS });
  const ids = {
    pad: tokenId(tokenizer, '[PAD]'),
    bos: tokenId(tokenizer, '<s>'),
    eos: tokenId(tokenizer, '</s>'),
    mask: tokenId(tokenizer, '[MASK]'),
    sentinels: Array.from({ length: SENTINEL_COUNT }, (_, i) => tokenId(tokenizer, sentinelName(i))),
  };
  return { tokenizer, ids, train: tokenize(file, 'train', tokenizer), heldOut: tokenize(file, 'heldOut', tokenizer) };
}

/**
 * A passage: whole sentences of one document from a random start, as many as
 * fit in `maxWords` (the first is cut if it alone is longer). At least two
 * words where the document has them (a prefix LM needs a prefix and a
 * target): a one-word passage gets the end of the sentence before it, or the
 * start of the one after it.
 */
export function drawPassage(
  docs: readonly (readonly (readonly number[])[])[],
  maxWords: number,
  rng: () => number,
): number[][] {
  const doc = docs[Math.floor(rng() * docs.length)];
  const start = Math.floor(rng() * doc.length);
  const out: number[][] = [doc[start].slice(0, maxWords)];
  let words = out[0].length;
  for (let s = start + 1; s < doc.length && words + doc[s].length <= maxWords; s++) {
    out.push(doc[s].slice());
    words += doc[s].length;
  }
  if (words < 2 && maxWords >= 2) {
    const room = maxWords - words;
    if (start > 0) out.unshift(doc[start - 1].slice(-room));
    else if (doc.length > 1) out.push(doc[1].slice(0, room));
  }
  return out;
}
