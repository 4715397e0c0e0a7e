// Turns a DataSource into token ids for training and held-out evaluation.
import { buildCharTokenizer, buildWordTokenizer, type Tokenizer } from '../core';
import { corpusText, parseCorpusFile, type CorpusFile } from '../core/text/corpusTypes';
import type { DataSource, ModelSpec } from './contract';

export interface PreparedData {
  tokenizer: Tokenizer;
  train: Int32Array;
  heldOut: Int32Array;
}

const corpusCache = new Map<string, CorpusFile>();

/** The corpus asset at `url`, fetched and validated once per worker. */
export async function loadCorpusFile(url: string): Promise<CorpusFile> {
  const cached = corpusCache.get(url);
  if (cached) return cached;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the corpus (${response.status} ${response.statusText})`);
  const file = parseCorpusFile(await response.json());
  corpusCache.set(url, file);
  return file;
}

async function loadCorpus(url: string): Promise<{ train: string; heldOut: string }> {
  const file = await loadCorpusFile(url);
  return { train: corpusText(file, 'train'), heldOut: corpusText(file, 'heldOut') };
}

export async function prepareData(source: DataSource, model: ModelSpec): Promise<PreparedData> {
  const texts = source.kind === 'corpus' ? await loadCorpus(source.url) : source;
  const tokenizer =
    model.tokenizer === 'char' ? buildCharTokenizer(texts.train) : buildWordTokenizer(texts.train, model.wordVocab);
  const train = Int32Array.from(tokenizer.encode(texts.train));
  const heldOut = Int32Array.from(tokenizer.encode(texts.heldOut));
  const need = model.contextLength + 1;
  if (train.length < need) {
    throw new Error(`The training text has ${train.length} tokens; the context length needs at least ${need}.`);
  }
  if (heldOut.length < need) {
    throw new Error(`The held-out text has ${heldOut.length} tokens; the context length needs at least ${need}.`);
  }
  return { tokenizer, train, heldOut };
}
