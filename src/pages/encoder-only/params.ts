// The encoder-only page's hyperparameters: one declarative table that the
// form, the URL and every BERT run on the page come from.
import type { Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import type { BackendChoice, BertArmSpec, BertRunSpec, DataSource } from '../../train/contract';
import { backendRow, seedRow } from '../commonRows';

export const ENCODER_PARAMS = [
  {
    kind: 'float',
    key: 'sel',
    label: 'Selected share',
    default: 0.15,
    min: 0.01,
    max: 1,
    help: 'Share of positions the masking function picks (BERT: 0.15)',
  },
  {
    kind: 'float',
    key: 'mask',
    label: '→ [MASK] share',
    default: 0.8,
    min: 0,
    max: 1,
    help: 'Of the picked positions (BERT: 0.8)',
  },
  {
    kind: 'float',
    key: 'rand',
    label: '→ random-word share',
    default: 0.1,
    min: 0,
    max: 1,
    help: 'Of the picked positions (BERT: 0.1); the rest stay unchanged',
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 6 },
  { kind: 'int', key: 'width', label: 'Width d', default: 64, min: 8, max: 256 },
  { kind: 'int', key: 'heads', label: 'Heads', default: 4, min: 1, max: 16 },
  {
    kind: 'int',
    key: 'len',
    label: 'Max length',
    default: 48,
    min: 8,
    max: 128,
    help: 'Tokens per sequence, [CLS] and [SEP]s included',
  },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 16, min: 1, max: 64 },
  { kind: 'float', key: 'lr', label: 'Learning rate', default: 0.002, min: 1e-6, max: 10 },
  {
    kind: 'int',
    key: 'rdocs',
    label: 'BERT vs RoBERTa: training documents',
    default: 4,
    min: 2,
    max: 450,
    help: 'Few, so sequences repeat and a static mask repeats with them',
  },
  { kind: 'float', key: 'rlr', label: 'BERT vs RoBERTa: learning rate', default: 0.001, min: 1e-6, max: 10 },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type EncoderValues = ValuesOf<typeof ENCODER_PARAMS>;

/** Word-level vocabulary of the BERT runs: the 2,995 most frequent Brown words, <unk> and four specials. */
export const BERT_VOCAB = 3000;

export function encoderCrossCheck(v: EncoderValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const { width, heads } = v;
  if (width % heads !== 0)
    errors.heads = `Width ${width} must split evenly over the heads: ${heads} does not divide ${width}.`;
  const { mask, rand } = v;
  // No tolerance: validateRun refuses any sum above 1, so a link the page takes must not exceed it either.
  if (mask + rand > 1) {
    errors.rand = `[MASK] and random-word shares add up to ${(mask + rand).toFixed(2)}; together they can be at most 1.`;
  }
  // Each of the page's runs (its own worker) within the step budget; the two-arm ones cost the most.
  return {
    ...errors,
    ...budgetRule('batch', toBertRun(v, PRICED_DATA, shiftArms(v)), toRobertaRun(v, PRICED_DATA)),
  };
}

export function backendOf(v: EncoderValues): BackendChoice {
  return v.backend;
}

/** BERT's arm with the page's masking rates, trained at rate `lr` (default: the page's). */
export function bertArm(v: EncoderValues, label = 'BERT', lr = v.lr): BertArmSpec {
  return {
    label,
    ...demoOptim(lr),
    selectRate: v.sel,
    maskProb: v.mask,
    randomProb: v.rand,
    nsp: true,
    dynamicMasking: false,
  };
}

/** The distribution-shift experiment: the page's rates against always [MASK]. */
export function shiftArms(v: EncoderValues): BertArmSpec[] {
  const mine = bertArm(v, `${pct(v.mask)} / ${pct(v.rand)} / ${pct(1 - v.mask - v.rand)}`);
  return [mine, { ...mine, label: 'always [MASK]', maskProb: 1, randomProb: 0 }];
}

/** BERT against RoBERTa: NSP and static masks versus neither, same data and seed, at the comparison's own rate `rlr`. */
export function robertaArms(v: EncoderValues): BertArmSpec[] {
  return [
    bertArm(v, 'BERT: MLM + NSP, static masks', v.rlr),
    { ...bertArm(v, 'RoBERTa: MLM only, dynamic masks', v.rlr), nsp: false, dynamicMasking: true },
  ];
}

function pct(x: number): string {
  return `${Math.round(x * 100)}`;
}

/**
 * BERT against RoBERTa on the first `rdocs` training documents, so sequences
 * (and BERT's static masks) repeat, at the comparison's own rate `rlr`.
 */
export function toRobertaRun(v: EncoderValues, data: DataSource): BertRunSpec {
  return { ...toBertRun(v, data, robertaArms(v)), trainDocuments: v.rdocs };
}

export function toBertRun(v: EncoderValues, data: DataSource, arms: BertArmSpec[]): BertRunSpec {
  return {
    task: 'bert',
    seed: v.seed,
    model: {
      wordVocab: BERT_VOCAB,
      nLayers: v.layers,
      dModel: v.width,
      nHeads: v.heads,
      maxLength: v.len,
    },
    batchSize: v.batch,
    arms,
    data,
    evalEvery: 25,
  };
}

/** The distribution-shift claim: the 80/10/10 model reads real words back; always-[MASK] does not. */
export function shiftClaim(run: BertRunSpec): Claim | null {
  if (run.arms.length !== 2) return null;
  return {
    id: 'bert-shift',
    lookFor:
      'On text with no [MASK], the model trained with unchanged and random words gives the word actually at each position a higher probability (a lower −log p) than the always-[MASK] model, which never had to read a real word.',
    metric: 'ownNll',
    metricLabel: '−log p(own word) without [MASK]',
    better: 'lower',
    source: { kind: 'eval' },
    winner: 0,
    loser: 1,
    step: 200,
    showMargin: 0.2,
    digits: 2,
  };
}

/** BERT against RoBERTa: RoBERTa's masked-word loss ahead. */
export function robertaClaim(run: BertRunSpec): Claim | null {
  const bert = run.arms.findIndex((a) => a.nsp);
  const roberta = run.arms.findIndex((a) => !a.nsp);
  if (bert < 0 || roberta < 0) return null;
  return {
    id: 'roberta',
    lookFor:
      'Trained on a few documents that come round again and again, RoBERTa (a fresh mask each time, no NSP) keeps a lower held-out masked-word loss than BERT (the same mask each time, plus NSP).',
    metric: 'mlm',
    metricLabel: 'held-out MLM loss',
    better: 'lower',
    source: { kind: 'eval' },
    winner: roberta,
    loser: bert,
    step: 200,
    showMargin: 0.05,
    digits: 2,
  };
}
