// A run spec's step shape for core's memory estimate (core/stepBudget.ts),
// and whether it fits the budget. The pages' cross checks build the run a
// form's values describe and ask here; the worker's validateRun asks again
// before it allocates anything, so both refuse the same runs with the same
// message. Pure: no tfjs, no DOM.
import { charVocabSize, stepBudgetProblem, type StepShape } from '../../core';
import type { RunSpec } from './run';

/**
 * Most characters a bundled corpus's character vocabulary has (Brown's has
 * 83, <unk> included): the corpus is not read before the run is checked.
 */
export const CORPUS_CHAR_VOCAB = 256;

/** Encoder input and decoder target are at most the passage plus this many tokens (sentinels, </s>). */
export const ENCDEC_LENGTH_SLACK = 8;

/**
 * The vocabulary a run's model will have, or an upper bound where the data
 * decides it: a word tokenizer's cap, a pasted text's distinct characters,
 * or CORPUS_CHAR_VOCAB for a corpus's characters.
 */
export function vocabBound(run: RunSpec): number {
  if (run.task !== 'gpt' || run.model.tokenizer === 'word') return run.model.wordVocab;
  return run.data.kind === 'text' ? textCharVocab(run.data.train) : CORPUS_CHAR_VOCAB;
}

// The last text counted: a page prices the same pasted text (up to 2 MB) on every change of its form.
let lastText: string | null = null;
let lastVocab = 0;

function textCharVocab(text: string): number {
  if (text !== lastText) {
    lastVocab = charVocabSize(text);
    lastText = text;
  }
  return lastVocab;
}

/** What one training step of `run` costs depends on: core's StepShape. */
export function stepShapeOf(run: RunSpec): StepShape {
  const stack = { layers: run.model.nLayers, dModel: run.model.dModel, heads: run.model.nHeads };
  const common = { ...stack, vocab: vocabBound(run), batch: run.batchSize, arms: run.arms.length };
  switch (run.task) {
    case 'gpt':
      return { task: 'gpt', ...common, context: run.model.contextLength };
    case 'bert':
      return {
        task: 'bert',
        ...common,
        length: run.model.maxLength,
        selectRate: Math.max(...run.arms.map((a) => a.selectRate)),
      };
    case 'encdec': {
      const length = run.model.passageLength + ENCDEC_LENGTH_SLACK;
      return { task: 'encdec', ...common, source: length, target: length };
    }
  }
}

/** Why `run` does not fit the step budget, or null. */
export function runBudgetProblem(run: RunSpec): string | null {
  return stepBudgetProblem(stepShapeOf(run));
}
