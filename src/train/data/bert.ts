// A BERT run's data: documents kept as lists of tokenized sentences, because
// next-sentence prediction needs to know where sentences and documents end.
import { buildWordTokenizer, tokenId, type Tokenizer } from '../../core';
import type { CorpusFile, CorpusSplitName } from '../../core/text/corpusTypes';
import type { BertModelSpec, DataSource } from '../contract';
import { loadCorpusFile } from './corpus';
import { preparedOnce } from './prepared';

export const BERT_SPECIALS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]'] as const;

export interface BertSpecialIds {
  pad: number;
  cls: number;
  sep: number;
  mask: number;
}

/** Documents -> sentences -> token ids. */
export type TokenizedDocs = number[][][];

export interface BertData {
  tokenizer: Tokenizer;
  ids: BertSpecialIds;
  train: TokenizedDocs;
  heldOut: TokenizedDocs;
}

function tokenizeSplit(file: CorpusFile, split: CorpusSplitName, tokenizer: Tokenizer): TokenizedDocs {
  const byId = new Map(file.documents.map((d) => [d.id, d] as const));
  return file.split[split]
    .map((id) => (byId.get(id)?.sentences ?? []).map((s) => tokenizer.encode(s)).filter((s) => s.length > 0))
    .filter((doc) => doc.length > 0);
}

/** The run's tokenised documents, prepared once per worker for each corpus and vocabulary size (prepared.ts). */
export async function prepareBertData(source: DataSource, model: BertModelSpec): Promise<BertData> {
  if (source.kind !== 'corpus')
    throw new Error('The BERT demos train on a corpus with document and sentence boundaries.');
  const url = source.url;
  return preparedOnce(JSON.stringify(['bert', url, model.wordVocab]), async () => tokenizeCorpus(url, model));
}

async function tokenizeCorpus(url: string, model: BertModelSpec): Promise<BertData> {
  const file = await loadCorpusFile(url);
  const byId = new Map(file.documents.map((d) => [d.id, d] as const));
  const trainText = file.split.train.map((id) => byId.get(id)?.sentences.join(' ') ?? '').join('\n');
  const tokenizer = buildWordTokenizer(trainText, model.wordVocab, { specials: BERT_SPECIALS });
  const ids = {
    pad: tokenId(tokenizer, '[PAD]'),
    cls: tokenId(tokenizer, '[CLS]'),
    sep: tokenId(tokenizer, '[SEP]'),
    mask: tokenId(tokenizer, '[MASK]'),
  };
  const train = tokenizeSplit(file, 'train', tokenizer);
  const heldOut = tokenizeSplit(file, 'heldOut', tokenizer);
  for (const [name, docs] of [
    ['training', train],
    ['held-out', heldOut],
  ] as const) {
    if (docs.length < 2 || !docs.some((d) => d.length >= 2)) {
      throw new Error(
        `The ${name} split needs at least two documents and one with two sentences for next-sentence prediction.`,
      );
    }
  }
  return { tokenizer, ids, train, heldOut };
}
