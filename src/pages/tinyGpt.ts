// The tiny GPT of the decoder-only page (and the memory page's live trainer):
// one declarative table that the form, the URL and the run spec all come from.
import type { ParamTable, ValuesOf } from '../core/params';
import { demoOptim } from './demoOptim';
import type { BackendChoice, DataSource, GptRunSpec } from '../train/contract';
import { budgetRule, PRICED_DATA } from './stepBudget';
import { backendRow, seedRow } from './commonRows';

export const DECODER_PARAMS = [
  {
    kind: 'enum',
    key: 'corpus',
    label: 'Training text',
    default: 'brown',
    options: ['brown', 'toy', 'custom'],
    help: 'Brown corpus, the lecture’s toy sentences, or your own text',
  },
  {
    kind: 'enum',
    key: 'tok',
    label: 'Tokenizer',
    default: 'char',
    options: ['char', 'word'],
    optionLabels: { char: 'characters', word: 'words' },
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 8 },
  { kind: 'int', key: 'width', label: 'Width d', default: 64, min: 8, max: 256 },
  { kind: 'int', key: 'heads', label: 'Heads', default: 4, min: 1, max: 16 },
  { kind: 'int', key: 'ctx', label: 'Context length', default: 64, min: 4, max: 256 },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 16, min: 1, max: 128 },
  { kind: 'float', key: 'lr', label: 'Learning rate', default: 0.003, min: 1e-6, max: 10 },
  seedRow('seed'),
  backendRow('backend'),
  {
    kind: 'float',
    key: 'temp',
    label: 'Sampling temperature',
    default: 0.8,
    min: 0,
    max: 5,
    help: '0 always picks the most likely token',
  },
] as const satisfies ParamTable;

export type DecoderValues = ValuesOf<typeof DECODER_PARAMS>;

/** Rules that involve more than one field. */
export function decoderCrossCheck(v: DecoderValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const { width, heads } = v;
  if (width % heads !== 0) {
    errors.heads = `Width ${width} must split evenly over the heads: ${heads} does not divide ${width}.`;
  }
  // One step's tensors (activations, attention's heads x context^2, logits, weights and Adam's state) within the budget.
  return { ...errors, ...budgetRule('batch', toRunSpec(v, PRICED_DATA)) };
}

export const TEMPERATURE_KEY = 'temp';

export function backendOf(v: DecoderValues): BackendChoice {
  return v.backend;
}

/** The training run a valid set of values describes. Temperature is not part of it. */
export function toRunSpec(v: DecoderValues, data: DataSource): GptRunSpec {
  return {
    task: 'gpt',
    seed: v.seed,
    model: {
      tokenizer: v.tok,
      wordVocab: 2000,
      nLayers: v.layers,
      dModel: v.width,
      nHeads: v.heads,
      contextLength: v.ctx,
    },
    batchSize: v.batch,
    arms: [{ label: 'GPT', ...demoOptim(v.lr) }],
    data,
    evalEvery: 25,
  };
}
