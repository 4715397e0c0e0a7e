// A GPT run's data: a DataSource turned into one stream of token ids for
// training and one for held-out evaluation.
import { buildCharTokenizer, buildWordTokenizer, encodeToInt32, textTokenProblem, type Tokenizer } from '../../core';
import { corpusText } from '../../core/text/corpusTypes';
import type { DataSource, ModelSpec } from '../contract';
import { loadCorpusFile } from './corpus';
import { preparedOnce } from './prepared';

export interface GptData {
  tokenizer: Tokenizer;
  train: Int32Array;
  heldOut: Int32Array;
}

async function loadCorpus(url: string): Promise<{ train: string; heldOut: string }> {
  const file = await loadCorpusFile(url);
  return { train: corpusText(file, 'train'), heldOut: corpusText(file, 'heldOut') };
}

/** The run's token streams; a corpus's are tokenised once per worker for each tokenizer (prepared.ts). */
export async function prepareGptData(source: DataSource, model: ModelSpec): Promise<GptData> {
  const data = source.kind === 'corpus' ? await tokenizedCorpus(source.url, model) : tokenize(source, model);
  // The rule the decoder page already checks where a text is typed (core's userTextProblem).
  const problem = textTokenProblem({ train: data.train.length, heldOut: data.heldOut.length }, model.contextLength);
  if (problem !== null) throw new Error(problem);
  return data;
}

function tokenizedCorpus(url: string, model: ModelSpec): Promise<GptData> {
  const vocab = model.tokenizer === 'word' ? model.wordVocab : 0;
  return preparedOnce(JSON.stringify(['gpt', url, model.tokenizer, vocab]), async () =>
    tokenize(await loadCorpus(url), model),
  );
}

function tokenize(texts: { train: string; heldOut: string }, model: ModelSpec): GptData {
  const tokenizer =
    model.tokenizer === 'char' ? buildCharTokenizer(texts.train) : buildWordTokenizer(texts.train, model.wordVocab);
  return {
    tokenizer,
    train: encodeToInt32(tokenizer, texts.train),
    heldOut: encodeToInt32(tokenizer, texts.heldOut),
  };
}
