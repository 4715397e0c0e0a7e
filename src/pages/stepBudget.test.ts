// Every trainer page's cross check prices its runs with the step budget: the
// defaults and the settings the end-to-end tests and the claims train with
// fit, and the links that grew the worker's heap to gigabytes open the page
// with the defaults and an "Ignored … from the link" notice.
import { describe, expect, it } from 'vitest';
import {
  defaultValues,
  parseParams,
  type CrossRules,
  type ParamTable,
  type ValuesOf,
  STEP_BUDGET_BYTES,
  estimateStep,
} from '../core';
import { stepShapeOf, type RunSpec } from '../train/contract';
import { ENCDEC_PARAMS, encdecCrossCheck, toEncDecRun } from './encoder-decoder/params';
import { ENCODER_PARAMS, encoderCrossCheck, shiftArms, toBertRun, toRobertaRun } from './encoder-only/params';
import { ABLATIONS } from './gpt3-recipe/ablations';
import { RECIPE_PARAMS, recipeCrossCheck, toRecipeRun, toWdRun, WD_PARAMS, wdCrossCheck } from './gpt3-recipe/params';
import { RACE_PARAMS as INIT_PARAMS, raceCrossCheck as initCrossCheck, toInitRun } from './initialization/params';
import { toWarmupRun, WARMUP_PARAMS, warmupCrossCheck } from './learning-rates/params';
import { tinyRun, TRAINER_PARAMS, trainerCrossCheck } from './memory/params';
import { mixedCrossCheck, MP_PARAMS, toMixedRun } from './mixed-precision/params';
import { RACE_PARAMS as SGD_PARAMS, raceCrossCheck as sgdCrossCheck, toRaceRun } from './sgd-adam/params';
import { PRICED_DATA } from './stepBudget';
import { DECODER_PARAMS, decoderCrossCheck, toRunSpec } from './tinyGpt';

interface Page<T extends ParamTable = ParamTable> {
  table: T;
  rules: CrossRules<T>;
  /** The page's largest run for these values. */
  run(v: ValuesOf<T>): RunSpec;
  /** Query strings the end-to-end tests and the claims check train with. */
  e2e: string[];
}

const page = <T extends ParamTable>(p: Page<T>): Page => p as unknown as Page;

const PAGES: Record<string, Page> = {
  'decoder-only': page({
    table: DECODER_PARAMS,
    rules: decoderCrossCheck,
    run: (v) => toRunSpec(v, PRICED_DATA),
    e2e: ['layers=1&width=32&ctx=32&batch=8', 'layers=1&width=32&ctx=32&batch=8&tok=word', 'seed=7', ''],
  }),
  memory: page({ table: TRAINER_PARAMS, rules: trainerCrossCheck, run: (v) => tinyRun(v, PRICED_DATA), e2e: [''] }),
  'learning-rates': page({
    table: WARMUP_PARAMS,
    rules: warmupCrossCheck,
    run: (v) => toWarmupRun(v, PRICED_DATA),
    e2e: ['layers=1&width=32&batch=4'],
  }),
  'sgd-adam': page({
    table: SGD_PARAMS,
    rules: sgdCrossCheck,
    run: (v) => toRaceRun(v, PRICED_DATA),
    e2e: ['layers=1&width=32&batch=4', 'layers=1&width=32&batch=4&tok=word'],
  }),
  initialization: page({
    table: INIT_PARAMS,
    rules: initCrossCheck,
    run: (v) => toInitRun(v, PRICED_DATA),
    e2e: ['layers=1&width=32&batch=4', 'layers=2&width=16&batch=4'],
  }),
  'gpt3-recipe': page({
    table: RECIPE_PARAMS,
    rules: recipeCrossCheck,
    run: (v) =>
      toRecipeRun(
        v,
        ABLATIONS.map((a) => a.id),
        PRICED_DATA,
      ),
    e2e: ['layers=1&width=32&batch=4', 'steps=300&batch=8'],
  }),
  'gpt3-recipe decay': page({
    table: WD_PARAMS,
    rules: wdCrossCheck,
    run: (v) => toWdRun(v, PRICED_DATA),
    e2e: ['wd_layers=1&wd_width=32&wd_batch=4'],
  }),
  'mixed-precision': page({
    table: MP_PARAMS,
    rules: mixedCrossCheck,
    run: (v) => toMixedRun(v, PRICED_DATA),
    e2e: ['layers=1&width=32&batch=4'],
  }),
  'encoder-only': page({
    table: ENCODER_PARAMS,
    rules: encoderCrossCheck,
    run: (v) => toBertRun(v, PRICED_DATA, shiftArms(v)),
    e2e: ['layers=1&width=32&heads=2&len=32&batch=8&lr=0.005', 'layers=1&width=32&len=16&batch=4'],
  }),
  'encoder-decoder': page({
    table: ENCDEC_PARAMS,
    rules: encdecCrossCheck,
    run: (v) => toEncDecRun(v, PRICED_DATA),
    e2e: ['layers=1&width=32&heads=2&words=12&batch=8&lr=0.005', 'layers=1&width=32&words=8&batch=4'],
  }),
};

/** The values a link gives, and its notices. */
const link = (p: Page, query: string) => parseParams(p.table, new URLSearchParams(query), p.rules);

describe('the step budget on every trainer page', () => {
  for (const [name, p] of Object.entries(PAGES)) {
    it(`${name}: the defaults and the test settings fit, well inside the budget`, () => {
      for (const query of p.e2e) {
        const { values, notices } = link(p, query);
        expect(notices, `${name}?${query}`).toEqual([]);
        expect(estimateStep(stepShapeOf(p.run(values))).bytes.total).toBeLessThan(STEP_BUDGET_BYTES / 2);
      }
      expect(p.rules(defaultValues(p.table))).toEqual({});
    });
  }

  it('the decoder page refuses the links that grew the heap to 4.3 GB and 3.1 GB', () => {
    const p = PAGES['decoder-only'];
    for (const query of ['batch=128&ctx=256&width=256&layers=8', 'layers=8&width=256&heads=16&ctx=256&batch=7']) {
      const { values, notices } = link(p, query);
      expect(values).toEqual(defaultValues(DECODER_PARAMS));
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^Ignored .*batch=.* from the link: One training step would hold about/);
      expect(notices[0]).toContain('the limit is 512 MB');
    }
  });

  it('the memory page puts the message beside its width', () => {
    const errors = trainerCrossCheck({ layers: 8, width: 256, heads: 16, backend: 'auto' });
    expect(Object.keys(errors)).toEqual(['width']);
    expect(errors.width).toContain('the limit is 512 MB');
  });

  it('a race multiplies the state by its arms: a width the single model could take, refused for the race', () => {
    const single = toRunSpec(
      { ...defaultValues(DECODER_PARAMS), layers: 4, width: 128, ctx: 32, batch: 48 },
      PRICED_DATA,
    );
    expect(estimateStep(stepShapeOf(single)).bytes.total).toBeLessThan(STEP_BUDGET_BYTES);
    const race = { ...defaultValues(SGD_PARAMS), layers: 4, width: 128, batch: 48 };
    expect(sgdCrossCheck(race).batch).toContain('the limit is 512 MB');
  });

  it('every page refuses its own largest settings', () => {
    const largest: Record<string, string> = {
      'decoder-only': 'layers=8&width=256&heads=16&ctx=256&batch=128',
      memory: 'layers=8&width=256&heads=16',
      'learning-rates': 'layers=4&width=128&batch=64',
      initialization: 'layers=32&width=128&heads=8&batch=64',
      'mixed-precision': 'layers=4&width=128&batch=64',
      'encoder-only': 'layers=6&width=256&heads=16&len=128&batch=64',
      'encoder-decoder': 'layers=4&width=256&heads=16&words=48&batch=64',
    };
    for (const [name, query] of Object.entries(largest)) {
      const { notices } = link(PAGES[name], query);
      expect(notices.join(' '), name).toContain('the limit is 512 MB');
    }
    expect(link(PAGES['gpt3-recipe decay'], 'wd_layers=4&wd_width=128&wd_batch=64').notices[0]).toMatch(
      /^Ignored .*wd_batch=.*the limit is 512 MB/,
    );
  });

  it('the encoder-only page prices the RoBERTa comparison too', () => {
    const v = { ...defaultValues(ENCODER_PARAMS), layers: 6, width: 256, heads: 16, len: 128, batch: 64 };
    expect(estimateStep(stepShapeOf(toRobertaRun(v, PRICED_DATA))).bytes.total).toBeGreaterThan(STEP_BUDGET_BYTES);
  });
});
