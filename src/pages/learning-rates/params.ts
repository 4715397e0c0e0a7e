// The warmup experiment's settings: one table for the form, the URL and the run.
import { heldOutLossClaim, type Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import type { ScheduleConfig } from '../../core';
import type { BackendChoice, DataSource, GptRunSpec } from '../../train/contract';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import { backendRow, seedRow } from '../commonRows';

export const WARMUP_PARAMS = [
  {
    kind: 'float',
    key: 'lr',
    label: 'Peak learning rate',
    default: 0.05,
    min: 1e-6,
    max: 1,
    help: 'Large enough that the first steps matter',
  },
  { kind: 'int', key: 'warmup', label: 'Warmup steps', default: 100, min: 1, max: 5000 },
  { kind: 'float', key: 'b2', label: 'Adam β₂', default: 0.999, min: 0, max: 0.99999 },
  {
    kind: 'enum',
    key: 'after',
    label: 'After warmup',
    default: 'constant',
    options: ['constant', 'cosine'],
    optionLabels: { constant: 'constant', cosine: 'cosine decay' },
    help: 'cosine: down to 10% of the peak by step 300',
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 4 },
  { kind: 'int', key: 'width', label: 'Width d', default: 64, min: 8, max: 128 },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 32, min: 1, max: 64 },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type WarmupValues = ValuesOf<typeof WARMUP_PARAMS>;

export function warmupCrossCheck(v: WarmupValues): Record<string, string> {
  return {
    ...(v.width % 4 === 0 ? {} : { width: `Width ${v.width} must be a multiple of 4 (the model has 4 heads).` }),
    ...budgetRule('batch', toWarmupRun(v, PRICED_DATA)),
  };
}

export function backendOf(v: WarmupValues): BackendChoice {
  return v.backend;
}

/** The same Adam, the same peak rate: with a linear warmup (the reference arm) and without. */
export function toWarmupRun(v: WarmupValues, data: DataSource): GptRunSpec {
  const { optimizer } = demoOptim(v.lr);
  const schedule: ScheduleConfig = {
    kind: v.after,
    lr: v.lr,
    warmupSteps: v.warmup,
    totalSteps: 300,
    minLrRatio: v.after === 'cosine' ? 0.1 : 1,
  };
  // Plain Adam with the page's β₂. No gradient clipping in either arm, so the schedule is the only
  // difference. (Under Adam, clipping would not shrink the early steps anyway: m̂/√v̂ does not change
  // when the gradient is scaled.)
  const adam = { ...optimizer, kind: 'adam' as const, beta2: v.b2 };
  return {
    task: 'gpt',
    seed: v.seed,
    model: { tokenizer: 'char', wordVocab: 2000, nLayers: v.layers, dModel: v.width, nHeads: 4, contextLength: 32 },
    batchSize: v.batch,
    arms: [
      { label: `warmup over ${v.warmup} steps`, optimizer: adam, schedule, clipNorm: null },
      { label: 'no warmup', optimizer: adam, schedule: { ...schedule, warmupSteps: 0 }, clipNorm: null },
    ],
    referenceArm: 0,
    data,
    evalEvery: 25,
  };
}

/** The page's claim: the warmed-up arm ahead of the one without warmup. */
export function warmupClaim(run: GptRunSpec): Claim | null {
  if (run.arms.length !== 2) return null;
  return heldOutLossClaim({
    id: 'warmup',
    lookFor:
      'Both copies first sit on a plateau near 3.1 nats, where the model knows little more than how common each character is; the warmed-up one leaves it first, and by step 200 its held-out loss is ahead of the copy that started at the full rate.',
    winner: 0,
    loser: 1,
    step: 200,
    showMargin: 0.1,
  });
}
