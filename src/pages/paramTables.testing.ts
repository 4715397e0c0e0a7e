// Every URL-bound parameter table of every page, with the cross-field rules
// the page hands parseParams and the run specs the page builds from the
// values (the builders the pages call, with the page's data source). Shared
// by the property-based fuzz suite (params.fuzz.test.ts) and the browser fuzz
// spec (e2e/fuzz.spec.ts), so a table added to a page is fuzzed by both once
// it is listed here.
import { asValues, type CrossRules, type ParamTable, type ParamValues, type ValuesOf } from '../core/params';
import type { DataSource, RunSpec } from '../train/contract';
import { bertArm, ENCODER_PARAMS, encoderCrossCheck, shiftArms, toBertRun, toRobertaRun } from './encoder-only/params';
import { ENCDEC_PARAMS, encdecCrossCheck, toEncDecRun } from './encoder-decoder/params';
import { DEFAULT_ABLATIONS, type AblationId } from './gpt3-recipe/ablations';
import {
  RECIPE_PARAMS,
  recipeCrossCheck,
  toRecipeRun,
  toWdRun,
  toyOf,
  WD_PARAMS,
  wdCrossCheck,
} from './gpt3-recipe/params';
import {
  RACE_PARAMS as INIT_PARAMS,
  raceCrossCheck as initCrossCheck,
  STACK_PARAMS,
  toInitRun,
  toStackInput,
} from './initialization/params';
import { toWarmupRun, WARMUP_PARAMS, warmupCrossCheck } from './learning-rates/params';
import {
  CALC_COUNT_PARAMS,
  CALC_GPT_PARAMS,
  calcGptCrossCheck,
  MODEL_PARAMS,
  TRAINER_PARAMS,
  tinyRun,
  trainerCrossCheck,
} from './memory/params';
import { MP_PARAMS, mixedCrossCheck, toMixedRun, VIEW_PARAMS } from './mixed-precision/params';
import { RACE_PARAMS as SGD_PARAMS, raceCrossCheck as sgdCrossCheck, toRaceRun } from './sgd-adam/params';
import { DECODER_PARAMS, decoderCrossCheck, toRunSpec } from './tinyGpt';

/** One table as a page binds it to the URL. */
export interface TableCase {
  /** The table's name in the code, for failure messages. */
  name: string;
  /** The route of the page that reads it. */
  route: string;
  table: ParamTable;
  /** The cross-field rules the page passes to parseParams (useParamForm), if any. */
  cross?: (values: ParamValues) => Record<string, string>;
  /** Every run spec the page builds from these values (empty for a table that trains nothing). */
  runs(values: ParamValues): RunSpec[];
  /** Anything else the page computes from the values while rendering; must not throw. */
  derive?(values: ParamValues): void;
}

function tableCase<T extends ParamTable>(c: {
  name: string;
  route: string;
  table: T;
  cross?: CrossRules<T>;
  runs?: (v: ValuesOf<T>) => RunSpec[];
  derive?: (v: ValuesOf<T>) => void;
}): TableCase {
  const { cross, runs, derive } = c;
  return {
    name: c.name,
    route: c.route,
    table: c.table,
    cross: cross && ((v) => cross(asValues<T>(v))),
    runs: (v) => (runs ? runs(asValues<T>(v)) : []),
    derive: derive && ((v) => derive(asValues<T>(v))),
  };
}

/** The bundled corpus, as corpusSource names it in a page (an absolute same-origin URL). */
export const FUZZ_CORPUS: DataSource = { kind: 'corpus', name: 'brown', url: 'http://127.0.0.1/corpus/brown.json' };
const TOY: DataSource = { kind: 'corpus', name: 'toy', url: 'http://127.0.0.1/corpus/toy.json' };
const PASTED: DataSource = { kind: 'text', train: 'a pasted text. '.repeat(20), heldOut: 'held out text. '.repeat(5) };

/**
 * Ablation sets the recipe race is fuzzed with: none, the default, and two sets
 * of four (the most arms the race draws) that between them switch off every
 * ingredient.
 */
export const ABLATION_SETS: readonly (readonly AblationId[])[] = [
  [],
  DEFAULT_ABLATIONS,
  ['clip', 'warmup', 'cosine', 'ramp'],
  ['cosine', 'ramp', 'decay', 'beta2'],
];

export const TABLE_CASES: readonly TableCase[] = [
  tableCase({
    name: 'DECODER_PARAMS',
    route: '/objectives/decoder-only',
    table: DECODER_PARAMS,
    cross: decoderCrossCheck,
    runs: (v) => [toRunSpec(v, v.corpus === 'custom' ? PASTED : v.corpus === 'toy' ? TOY : FUZZ_CORPUS)],
  }),
  tableCase({
    name: 'ENCODER_PARAMS',
    route: '/objectives/encoder-only',
    table: ENCODER_PARAMS,
    cross: encoderCrossCheck,
    runs: (v) => [
      toBertRun(v, FUZZ_CORPUS, [bertArm(v)]),
      toBertRun(v, FUZZ_CORPUS, shiftArms(v)),
      toRobertaRun(v, FUZZ_CORPUS),
    ],
  }),
  tableCase({
    name: 'ENCDEC_PARAMS',
    route: '/objectives/encoder-decoder',
    table: ENCDEC_PARAMS,
    cross: encdecCrossCheck,
    runs: (v) => [toEncDecRun(v, FUZZ_CORPUS)],
  }),
  tableCase({
    name: 'RACE_PARAMS (sgd-adam)',
    route: '/optimization/sgd-adam',
    table: SGD_PARAMS,
    cross: sgdCrossCheck,
    runs: (v) => [toRaceRun(v, FUZZ_CORPUS)],
  }),
  tableCase({
    name: 'TRAINER_PARAMS (memory)',
    route: '/optimization/memory',
    table: TRAINER_PARAMS,
    cross: trainerCrossCheck,
    runs: (v) => [tinyRun(v, FUZZ_CORPUS)],
  }),
  tableCase({ name: 'MODEL_PARAMS', route: '/optimization/memory', table: MODEL_PARAMS }),
  tableCase({ name: 'CALC_COUNT_PARAMS', route: '/optimization/memory', table: CALC_COUNT_PARAMS }),
  tableCase({
    name: 'CALC_GPT_PARAMS',
    route: '/optimization/memory',
    table: CALC_GPT_PARAMS,
    cross: calcGptCrossCheck,
  }),
  tableCase({
    name: 'MP_PARAMS',
    route: '/optimization/mixed-precision',
    table: MP_PARAMS,
    cross: mixedCrossCheck,
    runs: (v) => [toMixedRun(v, FUZZ_CORPUS)],
  }),
  tableCase({ name: 'VIEW_PARAMS', route: '/optimization/mixed-precision', table: VIEW_PARAMS }),
  tableCase({
    name: 'WARMUP_PARAMS',
    route: '/optimization/learning-rates',
    table: WARMUP_PARAMS,
    cross: warmupCrossCheck,
    runs: (v) => [toWarmupRun(v, FUZZ_CORPUS)],
  }),
  tableCase({
    name: 'STACK_PARAMS',
    route: '/optimization/initialization',
    table: STACK_PARAMS,
    derive: (v) => void toStackInput(v),
  }),
  tableCase({
    name: 'RACE_PARAMS (initialization)',
    route: '/optimization/initialization',
    table: INIT_PARAMS,
    cross: initCrossCheck,
    runs: (v) => [toInitRun(v, FUZZ_CORPUS)],
  }),
  tableCase({
    name: 'RECIPE_PARAMS',
    route: '/optimization/gpt3-recipe',
    table: RECIPE_PARAMS,
    cross: recipeCrossCheck,
    runs: (v) => ABLATION_SETS.map((ids) => toRecipeRun(v, ids, FUZZ_CORPUS)),
    derive: (v) => void toyOf(v),
  }),
  tableCase({
    name: 'WD_PARAMS',
    route: '/optimization/gpt3-recipe',
    table: WD_PARAMS,
    cross: wdCrossCheck,
    runs: (v) => [toWdRun(v, FUZZ_CORPUS)],
  }),
];

/** The tables a route reads, keyed by route. */
export function tablesOf(route: string): TableCase[] {
  return TABLE_CASES.filter((c) => c.route === route);
}
