// The initialisation page's two URL-bound tables: the residual-stack explorer
// (computed in the page, no training) and the init race on the tiny GPT.
// Keys differ between the tables, so both live in one URL and their fields
// get distinct element ids (HyperparamPanel uses `hp-<key>`).
import { heldOutLossClaim, type Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import type { BackendChoice, DataSource, GptRunSpec, InitName } from '../../train/contract';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import type { StackInput } from './stats';
import { backendRow, seedRow } from '../commonRows';

export const STACK_PARAMS = [
  { kind: 'int', key: 'depth', label: 'Depth L', default: 48, min: 1, max: 96, help: 'residual layers' },
  { kind: 'int', key: 'sdim', label: 'Width d', default: 64, min: 8, max: 128, help: 'MLP hidden size 4d' },
  {
    kind: 'float',
    key: 'sigma',
    label: 'σ of N(0, σ²)',
    default: 0.02,
    min: 0.001,
    max: 0.5,
    help: 'also GPT-2’s base σ',
  },
  { kind: 'int', key: 'samples', label: 'Input samples', default: 16, min: 1, max: 32 },
  { kind: 'int', key: 'sseed', label: 'Seed', default: 0, min: 0, max: 2147483647 },
] as const satisfies ParamTable;
export type StackValues = ValuesOf<typeof STACK_PARAMS>;

export function toStackInput(v: StackValues): StackInput {
  return { depth: v.depth, width: v.sdim, std: v.sigma, batch: v.samples, seed: v.sseed };
}

export const RACE_PARAMS = [
  {
    kind: 'float',
    key: 'lr',
    label: 'Adam learning rate',
    default: 0.003,
    min: 1e-6,
    max: 1,
    help: 'the same for every arm',
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 24, min: 1, max: 32 },
  { kind: 'int', key: 'width', label: 'Width d', default: 32, min: 8, max: 128 },
  { kind: 'int', key: 'heads', label: 'Heads', default: 4, min: 1, max: 8, help: 'd_head = d / heads' },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 8, min: 1, max: 64 },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type RaceValues = ValuesOf<typeof RACE_PARAMS>;

export function raceCrossCheck(v: RaceValues): Record<string, string> {
  const { width, heads } = v;
  return {
    ...(width % heads === 0 ? {} : { width: `Width ${width} must be a multiple of the number of heads (${heads}).` }),
    ...budgetRule('batch', toInitRun(v, PRICED_DATA)),
  };
}

export function backendOf(v: RaceValues): BackendChoice {
  return v.backend;
}

/** The four arms, in lecture order (Xavier, then GPT-2 against its plain N(0, 0.02²) base, then T5). */
export const INIT_ARMS: readonly { init: InitName; label: string }[] = [
  { init: 'xavier', label: 'Xavier N(0, 1/fan-in)' },
  { init: 'normal', label: 'N(0, 0.02²)' },
  { init: 'gpt2', label: 'GPT-2: 0.02, residual ÷ √(2L)' },
  { init: 't5', label: 'T5: 1/fan-in, W_q ÷ √d_head' },
];

/** The arm whose loss the trainer's readout shows: GPT-2, the codebase's default init. */
export const REFERENCE_ARM = 2;

/** One tiny GPT per init, the same batches, the same Adam (demoOptim: 20-step warmup, clipping at 1). */
export function toInitRun(v: RaceValues, data: DataSource): GptRunSpec {
  const { optimizer, schedule, clipNorm } = demoOptim(v.lr);
  // 'adam' (coupled L2) with no decay: only the init differs between arms.
  const adam = { ...optimizer, kind: 'adam' as const };
  return {
    task: 'gpt',
    seed: v.seed,
    model: {
      tokenizer: 'char',
      wordVocab: 2000,
      nLayers: v.layers,
      dModel: v.width,
      nHeads: v.heads,
      contextLength: 32,
    },
    batchSize: v.batch,
    arms: INIT_ARMS.map(({ init, label }) => ({ label, optimizer: adam, schedule, clipNorm, init })),
    referenceArm: REFERENCE_ARM,
    data,
    evalEvery: 25,
  };
}

/** The race's claim: GPT-2's scaled residual init ahead of Xavier on a deep stack. */
export function initClaim(run: GptRunSpec): Claim | null {
  const gpt2 = run.arms.findIndex((a) => a.init === 'gpt2');
  const xavier = run.arms.findIndex((a) => a.init === 'xavier');
  if (gpt2 < 0 || xavier < 0) return null;
  return heldOutLossClaim({
    id: 'init',
    lookFor:
      'On this 24-layer stack, GPT-2’s init (0.02, residual outputs ÷ √(2L)) pulls ahead of Xavier’s within the first 50 steps.',
    winner: gpt2,
    loser: xavier,
    step: 50,
    showMargin: 0.1,
  });
}
