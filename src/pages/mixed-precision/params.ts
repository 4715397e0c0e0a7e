// The simulated-FP16 race: one table for the form, the URL and the run.
import { heldOutLossClaim, type Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import type { BackendChoice, DataSource, GptArmSpec, GptRunSpec, PrecisionSpec } from '../../train/contract';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import { backendRow, seedRow } from '../commonRows';

type LossScale = NonNullable<PrecisionSpec['lossScale']>;

/** URL keys of the arms' on/off switches. */
export type ArmKey = 'fp32' | 'g16' | 'g16ls' | 'w16' | 'mixed';

/** One arm of the race: which ingredients of mixed precision it has. */
export interface ArmDef {
  /** URL key of its on/off switch. */
  key: ArmKey;
  label: string;
  /** What the arm shows, for the toggle's description. */
  why: string;
  precision: (ls: LossScale) => PrecisionSpec | undefined;
}

export const ARM_DEFS: readonly ArmDef[] = [
  { key: 'fp32', label: 'FP32', why: 'the reference: everything in FP32', precision: () => undefined },
  {
    key: 'g16',
    label: 'FP16 grads',
    why: 'gradients rounded to FP16, no loss scaling: small ones become 0',
    precision: () => ({ fp16Grads: true, fp16Weights: false, masterWeights: false, lossScale: null }),
  },
  {
    key: 'g16ls',
    label: 'FP16 grads + scaling',
    why: 'the same with dynamic loss scaling',
    precision: (ls) => ({ fp16Grads: true, fp16Weights: false, masterWeights: false, lossScale: ls }),
  },
  {
    key: 'w16',
    label: 'FP16 weights, no master',
    why: 'FP16 weights updated in place (plus FP16 grads and scaling): small updates are rounded away',
    precision: (ls) => ({ fp16Grads: true, fp16Weights: true, masterWeights: false, lossScale: ls }),
  },
  {
    key: 'mixed',
    label: 'Mixed precision',
    why: 'FP16 weights with an FP32 master copy, FP16 grads, dynamic loss scaling',
    precision: (ls) => ({ fp16Grads: true, fp16Weights: true, masterWeights: true, lossScale: ls }),
  },
];

const ON_OFF = ['on', 'off'] as const;

export const MP_PARAMS = [
  ...ARM_DEFS.map((a) => ({ kind: 'enum', key: a.key, label: a.label, default: 'on', options: ON_OFF }) as const),
  {
    kind: 'enum',
    key: 'opt',
    label: 'Optimiser',
    default: 'adam',
    options: ['adam', 'sgd'],
    optionLabels: { adam: 'Adam', sgd: 'SGD' },
    help: 'SGD’s steps are lr × g, Adam’s about lr',
  },
  {
    kind: 'float',
    key: 'lr',
    label: 'Peak learning rate',
    default: 0.001,
    min: 1e-6,
    max: 10,
    help: 'Adam: near one FP16 spacing at 1.0 (2^-10)',
  },
  {
    kind: 'int',
    key: 'ls0',
    label: 'Initial loss scale, log₂',
    default: 15,
    min: 0,
    max: 24,
    help: 'The scaler starts at 2^this',
  },
  {
    kind: 'int',
    key: 'grow',
    label: 'Growth interval N (steps)',
    default: 100,
    min: 1,
    max: 10000,
    help: 'Double the scale after N clean steps',
  },
  {
    kind: 'int',
    key: 'shrink',
    label: 'Shrink gradients by 2^-k',
    default: 16,
    min: 0,
    max: 30,
    help: 'Teaching device: every arm’s loss times 2^-k, as if the model were large',
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 4 },
  { kind: 'int', key: 'width', label: 'Width d', default: 64, min: 8, max: 128 },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 8, min: 1, max: 64 },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type MpValues = ValuesOf<typeof MP_PARAMS>;

/** What the page shows rather than trains: the arm whose gradients section 3 draws. Kept in the URL, outside the race's form. */
export const VIEW_PARAMS = [
  {
    kind: 'enum',
    key: 'garm',
    label: 'Arm whose gradients are shown',
    default: 'g16',
    options: ARM_DEFS.map((a) => a.key),
  },
] as const satisfies ParamTable;
export type ViewValues = ValuesOf<typeof VIEW_PARAMS>;

/** The fields the hyperparameter panel shows (the arm switches are checkboxes of their own). */
export const PANEL_KEYS: readonly string[] = MP_PARAMS.map((s) => s.key).filter(
  (k) => !ARM_DEFS.some((a) => a.key === k),
);

export function mixedCrossCheck(v: MpValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (v.width % 4 !== 0) errors.width = `Width ${v.width} must be a multiple of 4 (the model has 4 heads).`;
  if (!ARM_DEFS.some((a) => v[a.key] === 'on')) errors[ARM_DEFS[0].key] = 'Switch on at least one arm.';
  return { ...errors, ...budgetRule('batch', toMixedRun(v, PRICED_DATA)) };
}

export function backendOf(v: MpValues): BackendChoice {
  return v.backend;
}

/** The dynamic scaler every scaled arm uses: x2 after N clean steps, /2 on overflow, within [1, 2^24]. */
export function lossScaleOf(v: MpValues): LossScale {
  return {
    kind: 'dynamic',
    initScale: 2 ** v.ls0,
    growthFactor: 2,
    backoffFactor: 0.5,
    growthInterval: v.grow,
    minScale: 1,
    maxScale: 2 ** 24,
  };
}

/** The switched-on arms, in table order (run arm i is enabledArms(v)[i]). */
export function enabledArms(v: MpValues): ArmDef[] {
  return ARM_DEFS.filter((a) => v[a.key] === 'on');
}

/** Same model, seed, batches and optimiser for every arm; only the simulated precision differs. */
export function toMixedRun(v: MpValues, data: DataSource): GptRunSpec {
  const ls = lossScaleOf(v);
  // Coupled Adam without decay: decay would move weights on its own and blur what rounding does.
  // The shrink multiplies every arm's loss (and so its gradients) by m. Adam's eps and the clipping
  // threshold are multiplied by m too, which makes FP32 training exactly invariant to it: only
  // FP16's fixed range sees the smaller numbers.
  const m = 2 ** -v.shrink;
  // SGD's step is lr * g, so its rate is divided by m for the same invariance.
  const lr = v.opt === 'sgd' ? v.lr / m : v.lr;
  const optimizer: GptArmSpec['optimizer'] =
    v.opt === 'sgd'
      ? { kind: 'sgd', weightDecay: 0 }
      : { kind: 'adam', beta1: 0.9, beta2: 0.99, eps: 1e-8 * m, weightDecay: 0 };
  const { schedule, clipNorm } = demoOptim(lr);
  const plain: PrecisionSpec = { fp16Grads: false, fp16Weights: false, masterWeights: false, lossScale: null };
  return {
    task: 'gpt',
    seed: v.seed,
    model: { tokenizer: 'char', wordVocab: 2000, nLayers: v.layers, dModel: v.width, nHeads: 4, contextLength: 32 },
    batchSize: v.batch,
    arms: enabledArms(v).map((a): GptArmSpec => {
      const precision = a.precision(ls);
      const arm = { label: a.label, optimizer, schedule };
      if (m === 1) return precision ? { ...arm, clipNorm, precision } : { ...arm, clipNorm };
      return {
        ...arm,
        clipNorm: clipNorm === null ? null : clipNorm * m,
        precision: { ...(precision ?? plain), lossMultiplier: m },
      };
    }),
    referenceArm: 0,
    data,
    evalEvery: 25,
  };
}

/** The race's claim: loss scaling rescues FP16 gradients that underflow without it. */
export function mixedClaim(run: GptRunSpec): Claim | null {
  const scaled = run.arms.findIndex((a) => a.label === 'FP16 grads + scaling');
  const unscaled = run.arms.findIndex((a) => a.label === 'FP16 grads');
  if (scaled < 0 || unscaled < 0) return null;
  return heldOutLossClaim({
    id: 'fp16',
    lookFor:
      'FP16 gradients without loss scaling lose their small values to zero and fall behind; with dynamic loss scaling they train like FP32.',
    winner: scaled,
    loser: unscaled,
    step: 100,
    showMargin: 0.2,
  });
}
