// A GPT run's data: a DataSource turned into one stream of token ids for
// training and one for held-out evaluation.
import { buildCharTokenizer, buildWordTokenizer, textTokenProblem, type Tokenizer } from '../../core';
import { corpusText } from '../../core/text/corpusTypes';
import type { DataSource, ModelSpec } from '../contract';
import { loadCorpusFile } from './corpus';

export interface GptData {
  tokenizer: Tokenizer;
  train: Int32Array;
  heldOut: Int32Array;
}

async function loadCorpus(url: string): Promise<{ train: string; heldOut: string }> {
  const file = await loadCorpusFile(url);
  return { train: corpusText(file, 'train'), heldOut: corpusText(file, 'heldOut') };
}

export async function prepareGptData(source: DataSource, model: ModelSpec): Promise<GptData> {
  const texts = source.kind === 'corpus' ? await loadCorpus(source.url) : source;
  const tokenizer =
    model.tokenizer === 'char' ? buildCharTokenizer(texts.train) : buildWordTokenizer(texts.train, model.wordVocab);
  const train = Int32Array.from(tokenizer.encode(texts.train));
  const heldOut = Int32Array.from(tokenizer.encode(texts.heldOut));
  // The rule the decoder page already checks where a text is typed (core's userTextProblem).
  const problem = textTokenProblem({ train: train.length, heldOut: heldOut.length }, model.contextLength);
  if (problem !== null) throw new Error(problem);
  return { tokenizer, train, heldOut };
}
