// The SGD/Adam page's hyperparameters: one table for the form, the URL and
// the optimiser race on the tiny GPT.
import { heldOutLossClaim, type Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import type { BackendChoice, DataSource, GptArmSpec, GptRunSpec, TrackSpec } from '../../train/contract';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import { backendRow, seedRow } from '../commonRows';

export const RACE_PARAMS = [
  { kind: 'float', key: 'sgd', label: 'SGD learning rate', default: 0.2, min: 1e-6, max: 100 },
  {
    kind: 'float',
    key: 'mom',
    label: 'Momentum learning rate',
    default: 0.05,
    min: 1e-6,
    max: 100,
    help: 'momentum 0.9',
  },
  { kind: 'float', key: 'adam', label: 'Adam learning rate', default: 0.003, min: 1e-6, max: 10 },
  { kind: 'float', key: 'b1', label: 'Adam β₁', default: 0.9, min: 0, max: 0.9999 },
  { kind: 'float', key: 'b2', label: 'Adam β₂', default: 0.99, min: 0, max: 0.99999 },
  { kind: 'enum', key: 'bc', label: 'Adam bias correction', default: 'on', options: ['on', 'off'] },
  { kind: 'float', key: 'wd', label: 'AdamW weight decay', default: 0.1, min: 0, max: 1 },
  {
    kind: 'enum',
    key: 'decayset',
    label: 'Weight decay applies to',
    default: 'matrices',
    options: ['matrices', 'all'],
    optionLabels: { matrices: 'weight matrices only', all: 'every parameter' },
  },
  {
    kind: 'enum',
    key: 'tok',
    label: 'Tokens',
    default: 'char',
    options: ['char', 'word'],
    optionLabels: { char: 'characters', word: 'words' },
    help: 'words: 2,000 of them, most of them rare',
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 4 },
  { kind: 'int', key: 'width', label: 'Width d', default: 48, min: 8, max: 128 },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 8, min: 1, max: 64 },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type RaceValues = ValuesOf<typeof RACE_PARAMS>;

/** The arm whose moments the page shows. */
export const ADAM_ARM = 2;

/** One tracked element in each kind of parameter, so switching between them does not restart the run. */
export const TRACKED: readonly (TrackSpec & { label: string })[] = [
  { name: 'wte', index: 0, label: 'embedding E[0, 0]' },
  { name: 'h0.attn.wqkv', index: 0, label: 'attention W_qkv[0, 0]' },
  { name: 'h0.mlp.w1', index: 0, label: 'MLP W_1[0, 0]' },
  { name: 'lnf.g', index: 0, label: 'final layer-norm gain g[0]' },
];

export function raceCrossCheck(v: RaceValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (v.width % 4 !== 0) errors.width = `Width ${v.width} must be a multiple of 4 (the model has 4 heads).`;
  return { ...errors, ...budgetRule('batch', toRaceRun(v, PRICED_DATA)) };
}

export function backendOf(v: RaceValues): BackendChoice {
  return v.backend;
}

/**
 * The five optimisers, each at its own rate, all with the same schedule: no
 * warmup here, so the first steps show what bias correction does.
 */
export function raceArms(v: RaceValues): GptArmSpec[] {
  const { schedule, clipNorm } = demoOptim(v.adam);
  const at = (lr: number) => ({ schedule: { ...schedule, lr, warmupSteps: 0 }, clipNorm });
  const adam = { beta1: v.b1, beta2: v.b2, eps: 1e-8, biasCorrection: v.bc === 'on' };
  return [
    { label: 'SGD', optimizer: { kind: 'sgd' }, ...at(v.sgd) },
    { label: 'SGD + momentum', optimizer: { kind: 'momentum', momentum: 0.9 }, ...at(v.mom) },
    {
      label: v.bc === 'on' ? 'Adam' : 'Adam (no bias correction)',
      optimizer: { kind: 'adam', ...adam, weightDecay: 0 },
      ...at(v.adam),
    },
    {
      label: 'AdamW',
      optimizer: { kind: 'adamw', ...adam, weightDecay: v.wd, decayAll: v.decayset === 'all' },
      ...at(v.adam),
    },
    // AdaFactor's relative step sets its own step size; the schedule's rate is not used.
    { label: 'AdaFactor (relative step)', optimizer: { kind: 'adafactor' }, ...at(v.adam) },
  ];
}

export function toRaceRun(v: RaceValues, data: DataSource): GptRunSpec {
  return {
    task: 'gpt',
    seed: v.seed,
    model: { tokenizer: v.tok, wordVocab: 2000, nLayers: v.layers, dModel: v.width, nHeads: 4, contextLength: 32 },
    batchSize: v.batch,
    arms: raceArms(v),
    track: TRACKED.map(({ name, index }) => ({ name, index })),
    referenceArm: ADAM_ARM,
    data,
    evalEvery: 25,
  };
}

/** The race's claim: Adam, at its own rate, ahead of plain SGD at its own rate. */
export function raceClaim(run: GptRunSpec): Claim | null {
  const adam = run.arms.findIndex((a) => a.optimizer.kind === 'adam');
  const sgd = run.arms.findIndex((a) => a.optimizer.kind === 'sgd');
  if (adam < 0 || sgd < 0) return null;
  return heldOutLossClaim({
    id: 'sgd-adam',
    lookFor: 'Adam’s held-out loss pulls ahead of plain SGD’s, each at the best of the rates tried for it.',
    winner: adam,
    loser: sgd,
    step: 100,
    showMargin: 0.1,
  });
}
