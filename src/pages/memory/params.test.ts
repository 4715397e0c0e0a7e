import { describe, expect, it } from 'vitest';
import { checkParam, defaultValues } from '../../core/params';
import { DECODER_PARAMS, toRunSpec } from '../tinyGpt';
import {
  CALC_COUNT_PARAMS,
  CALC_GPT_PARAMS,
  calcGptCrossCheck,
  selectModel,
  TRAINER_PARAMS,
  tinyRun,
  trainerCrossCheck,
} from './params';

const data = { kind: 'text' as const, train: 'abc', heldOut: 'abc' };
const TINY = { layers: 2, width: 64, context: 64, vocab: 83 };

describe('the trainer table', () => {
  it('reuses the decoder page’s rows for layers, width, heads and backend', () => {
    expect(TRAINER_PARAMS.map((s) => s.key)).toEqual(['layers', 'width', 'heads', 'backend']);
    expect(defaultValues(TRAINER_PARAMS)).toEqual({ layers: 2, width: 64, heads: 4, backend: 'auto' });
  });

  it('runs the decoder page’s default GPT with this page’s shape', () => {
    const v = { layers: 1, width: 32, heads: 2, backend: 'wasm' } as const;
    const expected = toRunSpec({ ...defaultValues(DECODER_PARAMS), layers: 1, width: 32, heads: 2 }, data);
    expect(tinyRun(v, data)).toEqual({ ...expected, factorError: true });
    expect(expected.factorError).toBeUndefined();
    expect(expected.model).toMatchObject({ nLayers: 1, dModel: 32, nHeads: 2, contextLength: 64, tokenizer: 'char' });
    expect(expected.batchSize).toBe(16);
  });

  it('checks that the heads divide the width', () => {
    expect(trainerCrossCheck({ layers: 2, width: 64, heads: 4, backend: 'auto' })).toEqual({});
    expect(trainerCrossCheck({ layers: 2, width: 64, heads: 5, backend: 'auto' }).heads).toMatch(
      /5 does not divide 64/,
    );
  });
});

describe('the calculator tables', () => {
  it('reads counts in scientific notation and refuses words', () => {
    const count = CALC_COUNT_PARAMS[0];
    expect(checkParam(count, '7e9')).toEqual({ ok: true, value: 7_000_000_000 });
    expect(checkParam(count, 'abc')).toEqual({ ok: false, error: 'Parameter count must be a number.' });
    expect(checkParam(count, '1.5')).toEqual({ ok: false, error: 'Parameter count must be a whole number.' });
    const d = CALC_GPT_PARAMS.find((s) => s.key === 'c_d')!;
    expect(checkParam(d, 'abc')).toEqual({ ok: false, error: 'd_model must be a number.' });
  });

  it('refuses a GPT whose Adam bytes would not be exact, beside d_model', () => {
    const huge = { c_layers: 1000, c_d: 100_000, c_vocab: 50257, c_ctx: 2048 };
    // 12 d^2 L + 13 d L + (V + T) d + 2 d
    const P = 12 * 100_000 ** 2 * 1000 + 13 * 100_000 * 1000 + (50257 + 2048) * 100_000 + 2 * 100_000;
    expect(P).toBe(120_006_530_700_000);
    expect(calcGptCrossCheck(huge).c_d).toBe(
      'This configuration has 120,006,530,700,000 parameters; the calculator stops at 100,000,000,000,000 (1e14).',
    );
    expect(calcGptCrossCheck(defaultValues(CALC_GPT_PARAMS))).toEqual({});
  });
});

describe('selectModel', () => {
  const custom = { ...defaultValues(CALC_COUNT_PARAMS), ...defaultValues(CALC_GPT_PARAMS) };

  it('prices a preset from its shapes', () => {
    const s = selectModel({ ...custom, model: 'gpt3-175b' }, TINY);
    expect(s.ready && s.parameterCount).toBe(174_604_259_328);
    expect(s.ready && s.nominal).toBe(175e9);
    expect(s.label).toBe('GPT-3 175B');
  });

  it('prices the live tiny GPT once its vocabulary is known', () => {
    const s = selectModel({ ...custom, model: 'tiny' }, TINY);
    expect(s.ready && s.parameterCount).toBe(109_504);
    const waiting = selectModel({ ...custom, model: 'tiny' }, { ...TINY, vocab: null });
    expect(waiting.ready).toBe(false);
  });

  it('builds a custom GPT from its config (GPT-2 small by default) or takes a bare count', () => {
    const gpt = selectModel({ ...custom, model: 'custom-gpt' }, TINY);
    expect(gpt.ready && gpt.parameterCount).toBe(124_439_808);
    expect(gpt.ready && gpt.tensors !== null).toBe(true);
    const count = selectModel({ ...custom, model: 'custom-count', c_params: 7e9 }, TINY);
    expect(count.ready && count.model).toBe(7e9);
    expect(count.ready && count.tensors).toBe(null);
  });

  it('waits, rather than overflowing, when a custom GPT is too large', () => {
    const s = selectModel({ ...custom, model: 'custom-gpt', c_layers: 1000, c_d: 100_000 }, TINY);
    expect(s.ready).toBe(false);
  });
});
