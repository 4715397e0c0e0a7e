// The encoder-decoder page's hyperparameters: one declarative table for the
// form, the URL and the training run. Up to three objectives train side by side.
import { objectiveInfo, OBJECTIVES, type ObjectiveId } from '../../core';
import type { Claim } from '../../core/claims';
import type { ParamTable, ValuesOf } from '../../core/params';
import { demoOptim } from '../demoOptim';
import { budgetRule, PRICED_DATA } from '../stepBudget';
import type { BackendChoice, DataSource, EncDecArmSpec, EncDecRunSpec } from '../../train/contract';
import { backendRow, seedRow } from '../commonRows';

const OBJECTIVE_OPTIONS = OBJECTIVES.map((o) => o.id);

export const ENCDEC_PARAMS = [
  { kind: 'enum', key: 'obj1', label: 'Objective 1', default: 'iid-replace-spans', options: OBJECTIVE_OPTIONS },
  {
    kind: 'enum',
    key: 'obj2',
    label: 'Objective 2',
    default: 'text-infilling',
    options: ['none', ...OBJECTIVE_OPTIONS],
  },
  { kind: 'enum', key: 'obj3', label: 'Objective 3', default: 'none', options: ['none', ...OBJECTIVE_OPTIONS] },
  {
    kind: 'float',
    key: 'rate',
    label: 'Corruption rate',
    default: 0.15,
    min: 0.01,
    max: 0.9,
    help: 'For the objectives that have one',
  },
  {
    kind: 'float',
    key: 'span',
    label: 'Span length',
    default: 3,
    min: 1,
    max: 10,
    help: 'Poisson λ (infilling) or mean span (random spans)',
  },
  { kind: 'int', key: 'layers', label: 'Layers (each side)', default: 2, min: 1, max: 4 },
  { kind: 'int', key: 'width', label: 'Width d', default: 64, min: 8, max: 256 },
  { kind: 'int', key: 'heads', label: 'Heads', default: 4, min: 1, max: 16 },
  { kind: 'int', key: 'words', label: 'Passage length (words)', default: 24, min: 8, max: 48 },
  { kind: 'int', key: 'batch', label: 'Batch size', default: 16, min: 1, max: 64 },
  { kind: 'float', key: 'lr', label: 'Learning rate', default: 0.003, min: 1e-6, max: 10 },
  seedRow('seed'),
  backendRow('backend'),
] as const satisfies ParamTable;
export type EncdecValues = ValuesOf<typeof ENCDEC_PARAMS>;

export const ENCDEC_VOCAB = 3000;

export function encdecCrossCheck(v: EncdecValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const { width, heads } = v;
  if (width % heads !== 0)
    errors.heads = `Width ${width} must split evenly over the heads: ${heads} does not divide ${width}.`;
  const chosen = [v.obj1, v.obj2, v.obj3].filter((o) => o !== 'none');
  if (new Set(chosen).size !== chosen.length) errors.obj2 = 'Pick different objectives to compare (or none).';
  // The objectives are the run's arms: each adds a model's weights and optimiser state.
  return { ...errors, ...budgetRule('batch', toEncDecRun(v, PRICED_DATA)) };
}

export function backendOf(v: EncdecValues): BackendChoice {
  return v.backend;
}

export function armsOf(v: EncdecValues): EncDecArmSpec[] {
  return [v.obj1, v.obj2, v.obj3]
    .filter((o): o is ObjectiveId => o !== 'none')
    .map((id) => ({ label: objectiveInfo(id).label, objective: id, rate: v.rate, span: v.span, ...demoOptim(v.lr) }));
}

export function toEncDecRun(v: EncdecValues, data: DataSource): EncDecRunSpec {
  return {
    task: 'encdec',
    seed: v.seed,
    model: { wordVocab: ENCDEC_VOCAB, nLayers: v.layers, dModel: v.width, nHeads: v.heads, passageLength: v.words },
    batchSize: v.batch,
    arms: armsOf(v),
    data,
    evalEvery: 25,
  };
}

/**
 * The objectives' claim, a mechanism rather than a race: within a minute the
 * decoder does not learn to copy from the encoder (1,200 steps of token
 * masking still wrote generic text), so which objective pre-trains better
 * cannot show here. What shows is what each asks the decoder to write: T5's
 * i.i.d. replace-spans only the dropped words and a sentinel per span, BART's
 * text infilling the whole passage. Shorter targets were T5's reason to
 * prefer it, at about equal quality.
 */
export function encdecClaim(run: EncDecRunSpec): Claim | null {
  const t5 = run.arms.findIndex((a) => a.objective === 'iid-replace-spans');
  const bart = run.arms.findIndex((a) => a.objective === 'text-infilling');
  if (t5 < 0 || bart < 0) return null;
  return {
    id: 'encdec',
    lookFor:
      'T5’s i.i.d. replace-spans asks the decoder for only the dropped words and one sentinel per span, a fraction of the tokens BART’s text infilling writes (the whole passage): T5 chose it for that saving, at about the same quality.',
    metric: 'targetTokens',
    metricLabel: 'tokens the decoder writes per passage',
    better: 'lower',
    source: { kind: 'eval' },
    winner: t5,
    loser: bart,
    step: 25,
    showMargin: 5,
    digits: 1,
  };
}
