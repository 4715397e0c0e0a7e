// The page's two experiments as declarative tables (form, URL and run come
// from them): the recipe with its ablations, and Adam + L2 against AdamW.
// The second table's keys start with `wd_`, so both live in one URL.
import { heldOutLossClaim, type Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import type { BackendChoice, DataSource, GptRunSpec, ModelSpec } from '../../train/contract';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import { ABLATIONS, recipeArms, type AblationId } from './ablations';
import { toyRecipe, type ToyRecipe } from './recipe';
import { backendRow, seedRow } from '../commonRows';

/** Characters per training row of the toy GPT. */
export const CONTEXT = 32;

export const RECIPE_PARAMS = [
  {
    kind: 'float',
    key: 'lr',
    label: 'Peak learning rate',
    default: 0.01,
    min: 1e-6,
    max: 1,
    help: 'The peak the warmup climbs to',
  },
  {
    kind: 'int',
    key: 'steps',
    label: 'Run length (steps)',
    default: 300,
    min: 20,
    max: 20000,
    help: 'Warmup, ramp and decay are laid out over it',
  },
  { kind: 'float', key: 'clip', label: 'Clipping threshold c', default: 1, min: 0.001, max: 100, help: 'GPT-3: 1.0' },
  {
    kind: 'float',
    key: 'wd',
    label: 'Weight decay',
    default: 0.1,
    min: 0,
    max: 1,
    help: 'Decoupled (AdamW); GPT-3: 0.1',
  },
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 4 },
  { kind: 'int', key: 'width', label: 'Width d', default: 64, min: 8, max: 128 },
  {
    kind: 'int',
    key: 'batch',
    label: 'Final batch (rows)',
    default: 16,
    min: 2,
    max: 64,
    help: `Rows of ${CONTEXT} characters; the ramp starts lower`,
  },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type RecipeValues = ValuesOf<typeof RECIPE_PARAMS>;

export const WD_PARAMS = [
  { kind: 'float', key: 'wd_lr', label: 'Learning rate', default: 0.01, min: 1e-6, max: 1, help: 'Same for both arms' },
  {
    kind: 'float',
    key: 'wd_wd',
    label: 'Weight decay λ',
    default: 0.1,
    min: 0,
    max: 1,
    help: 'Same λ, coupled or decoupled',
  },
  {
    kind: 'enum',
    key: 'wd_decayset',
    label: 'Weight decay applies to',
    default: 'matrices',
    options: ['matrices', 'all'],
    optionLabels: { matrices: 'weight matrices only', all: 'every parameter' },
  },
  { kind: 'int', key: 'wd_layers', label: 'Layers', default: 2, min: 1, max: 4 },
  { kind: 'int', key: 'wd_width', label: 'Width d', default: 64, min: 8, max: 128 },
  { kind: 'int', key: 'wd_batch', label: 'Batch size', default: 8, min: 1, max: 64 },
  seedRow('wd_seed'),
  backendRow('wd_backend'),
] as const satisfies ParamTable;
export type WdValues = ValuesOf<typeof WD_PARAMS>;

function widthCheck(key: string, width: number): Record<string, string> {
  return width % 4 === 0 ? {} : { [key]: `Width ${width} must be a multiple of 4 (the model has 4 heads).` };
}

/** The ablations are chosen outside the table, so the race is priced with as many arms as it can have. */
export function recipeCrossCheck(v: RecipeValues): Record<string, string> {
  const widest = toRecipeRun(
    v,
    ABLATIONS.map((a) => a.id),
    PRICED_DATA,
  );
  return { ...widthCheck('width', v.width), ...budgetRule('batch', widest) };
}

export function wdCrossCheck(v: WdValues): Record<string, string> {
  return { ...widthCheck('wd_width', v.wd_width), ...budgetRule('wd_batch', toWdRun(v, PRICED_DATA)) };
}

function model(layers: number, width: number): ModelSpec {
  return { tokenizer: 'char', wordVocab: 2000, nLayers: layers, dModel: width, nHeads: 4, contextLength: CONTEXT };
}

/** The toy's recipe numbers for the form's values. */
export function toyOf(v: RecipeValues): ToyRecipe {
  return toyRecipe({ lr: v.lr, steps: v.steps, batch: v.batch, contextLength: CONTEXT });
}

/** The full recipe (arm 0, the reference) and one arm per ablation, all on the same batches. */
export function toRecipeRun(v: RecipeValues, ablations: readonly AblationId[], data: DataSource): GptRunSpec {
  const toy = toyOf(v);
  return {
    task: 'gpt',
    seed: v.seed,
    model: model(v.layers, v.width),
    batchSize: v.batch,
    arms: recipeArms(toy, { lr: v.lr, clip: v.clip, weightDecay: v.wd }, ablations),
    referenceArm: 0,
    data,
    evalEvery: 25,
  };
}

/** Adam with L2 in the gradient against AdamW: same λ, rate, betas, clipping and batches. */
export function toWdRun(v: WdValues, data: DataSource): GptRunSpec {
  const { schedule, clipNorm } = demoOptim(v.wd_lr);
  const common = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: v.wd_wd, decayAll: v.wd_decayset === 'all' };
  return {
    task: 'gpt',
    seed: v.wd_seed,
    model: model(v.wd_layers, v.wd_width),
    batchSize: v.wd_batch,
    arms: [
      { label: 'Adam + L2 (coupled)', optimizer: { kind: 'adam', ...common }, schedule, clipNorm },
      { label: 'AdamW (decoupled)', optimizer: { kind: 'adamw', ...common }, schedule, clipNorm },
    ],
    referenceArm: 0,
    data,
    evalEvery: 25,
  };
}

export function backendOf(v: { backend: BackendChoice }): BackendChoice {
  return v.backend;
}

export function wdBackendOf(v: WdValues): BackendChoice {
  return v.wd_backend;
}

/**
 * The recipe race's claim: the full recipe ahead of the copy with Adam's
 * default β₂ = 0.999. The early gradients are large and shrink fast; a v that
 * averages over ~1/(1 - β₂) = 1000 steps keeps remembering them, so the
 * steps stay smaller than η, while GPT-3's β₂ = 0.95 (~20 steps) follows.
 */
export function recipeClaim(run: GptRunSpec): Claim | null {
  const off = run.arms.findIndex((a) => a.label === 'β₂ 0.999');
  if (off < 0) return null;
  return heldOutLossClaim({
    id: 'recipe',
    lookFor: 'The copy with Adam’s default β₂ = 0.999 falls behind the full recipe with GPT-3’s β₂ = 0.95.',
    winner: 0,
    loser: off,
    step: 200,
    showMargin: 0.05,
  });
}

/**
 * The decay comparison's claim, a mechanism rather than a better loss (in a
 * minute this model does not overfit, so no λ > 0 helps either arm's held-out
 * loss): at the same λ, Adam + L2 shrinks the weight matrices far harder.
 */
export function decayClaim(run: GptRunSpec): Claim | null {
  const l2 = run.arms.findIndex((a) => a.optimizer.kind === 'adam');
  const w = run.arms.findIndex((a) => a.optimizer.kind === 'adamw');
  if (l2 < 0 || w < 0) return null;
  return {
    id: 'decay',
    lookFor:
      'With the same λ, Adam + L2 drags the weight matrices towards zero far harder than AdamW: its decay term goes through Adam’s 1/√v̂ like a gradient, so a weight with small gradients loses almost η per step.',
    metric: 'matrixNorm',
    metricLabel: 'norm of the weight matrices',
    better: 'higher',
    source: { kind: 'eval' },
    winner: w,
    loser: l2,
    step: 100,
    showMargin: 2,
    digits: 1,
  };
}
