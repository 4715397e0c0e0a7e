// Every comparison demo with a teaching claim: the page's parameter table, its
// run builder and the claim declared beside it. `npm run claims` trains these.
import type { Claim } from '../../src/core/claims';
import { asValues, type ParamSpec, type ParamTable, type ParamValues, type ValuesOf } from '../../src/core/params';
import type { DataSource, RunSpec } from '../../src/train/contract';
import { toEncDecRun, encdecClaim, ENCDEC_PARAMS } from '../../src/pages/encoder-decoder/params';
import {
  ENCODER_PARAMS,
  robertaClaim,
  shiftArms,
  shiftClaim,
  toBertRun,
  toRobertaRun,
} from '../../src/pages/encoder-only/params';
import { DEFAULT_ABLATIONS } from '../../src/pages/gpt3-recipe/ablations';
import {
  decayClaim,
  RECIPE_PARAMS,
  recipeClaim,
  toRecipeRun,
  toWdRun,
  WD_PARAMS,
} from '../../src/pages/gpt3-recipe/params';
import { initClaim, RACE_PARAMS as INIT_PARAMS, toInitRun } from '../../src/pages/initialization/params';
import { toWarmupRun, WARMUP_PARAMS, warmupClaim } from '../../src/pages/learning-rates/params';
import { mixedClaim, MP_PARAMS, toMixedRun } from '../../src/pages/mixed-precision/params';
import { RACE_PARAMS as SGD_PARAMS, raceClaim, toRaceRun } from '../../src/pages/sgd-adam/params';

export interface ClaimedDemo {
  id: string;
  /** The page's route. */
  page: string;
  /** The accessible name of the demo's trainer on that page (its title). */
  trainer: string;
  /** Where the trainer mounts only when scrolled to: text of its section's heading, to scroll to first. */
  lazyHeading?: string;
  params: readonly ParamSpec[];
  /** The table's seed key, where it is not 'seed'. */
  seedKey?: string;
  build(values: ParamValues, data: DataSource): RunSpec;
  claim(run: RunSpec): Claim | null;
}

/** A demo of one page's table, its values typed while it is declared; the list holds them untyped. */
function demo<T extends ParamTable>(
  d: Omit<ClaimedDemo, 'params' | 'build'> & { params: T; build(values: ValuesOf<T>, data: DataSource): RunSpec },
): ClaimedDemo {
  return { ...d, build: (values, data) => d.build(asValues<T>(values), data) };
}

/** A claim function of one run type, applied only to runs of that type. */
function typed<R extends RunSpec>(task: R['task'], claim: (run: R) => Claim | null): (run: RunSpec) => Claim | null {
  return (run) => (run.task === task ? claim(run as R) : null);
}

export const CLAIMED_DEMOS: readonly ClaimedDemo[] = [
  demo({
    id: 'sgd-adam',
    page: '#/optimization/sgd-adam',
    trainer: 'Optimiser race on a tiny GPT',
    params: SGD_PARAMS,
    build: toRaceRun,
    claim: typed('gpt', raceClaim),
  }),
  demo({
    id: 'warmup',
    page: '#/optimization/learning-rates',
    trainer: 'Warmup against no warmup',
    params: WARMUP_PARAMS,
    build: toWarmupRun,
    claim: typed('gpt', warmupClaim),
  }),
  demo({
    id: 'init',
    page: '#/optimization/initialization',
    trainer: 'One tiny GPT per initialisation',
    params: INIT_PARAMS,
    build: toInitRun,
    claim: typed('gpt', initClaim),
  }),
  demo({
    id: 'recipe',
    page: '#/optimization/gpt3-recipe',
    trainer: 'GPT-3 recipe and its ablations',
    params: RECIPE_PARAMS,
    build: (v, data) => toRecipeRun(v, DEFAULT_ABLATIONS, data),
    claim: typed('gpt', recipeClaim),
  }),
  demo({
    id: 'decay',
    page: '#/optimization/gpt3-recipe',
    trainer: 'Adam + L2 against AdamW',
    lazyHeading: 'Adam with L2 against AdamW',
    params: WD_PARAMS,
    seedKey: 'wd_seed',
    build: toWdRun,
    claim: typed('gpt', decayClaim),
  }),
  demo({
    id: 'fp16',
    page: '#/optimization/mixed-precision',
    trainer: 'FP32 against simulated FP16',
    params: MP_PARAMS,
    build: toMixedRun,
    claim: typed('gpt', mixedClaim),
  }),
  demo({
    id: 'bert-shift',
    page: '#/objectives/encoder-only',
    trainer: 'Distribution shift: your rates vs always [MASK]',
    lazyHeading: 'Distribution shift',
    params: ENCODER_PARAMS,
    build: (v, data) => toBertRun(v, data, shiftArms(v)),
    claim: typed('bert', shiftClaim),
  }),
  demo({
    id: 'roberta',
    page: '#/objectives/encoder-only',
    trainer: 'BERT vs RoBERTa',
    lazyHeading: 'RoBERTa: drop NSP',
    params: ENCODER_PARAMS,
    build: toRobertaRun,
    claim: typed('bert', robertaClaim),
  }),
  demo({
    id: 'encdec',
    page: '#/objectives/encoder-decoder',
    trainer: 'Tiny encoder-decoder',
    params: ENCDEC_PARAMS,
    build: toEncDecRun,
    claim: typed('encdec', encdecClaim),
  }),
];
