import { describe, expect, it } from 'vitest';
import { parseParams } from '../../core/params';
import { ENCODER_PARAMS, encoderCrossCheck, robertaArms, shiftArms, toBertRun } from './params';

const defaults = parseParams(ENCODER_PARAMS, new URLSearchParams()).values;
const data = { kind: 'corpus' as const, name: 'brown' as const, url: 'http://x/corpus/brown.json' };

describe('encoder-only parameters', () => {
  it('defaults to BERT’s masking function and a valid model', () => {
    expect([defaults.sel, defaults.mask, defaults.rand]).toEqual([0.15, 0.8, 0.1]);
    expect(encoderCrossCheck(defaults)).toEqual({});
  });

  it('rejects shares that add up to more than 1, and widths the heads do not divide', () => {
    expect(encoderCrossCheck({ ...defaults, mask: 0.8, rand: 0.3 }).rand).toMatch(/at most 1/);
    expect(encoderCrossCheck({ ...defaults, width: 30, heads: 4 }).heads).toMatch(/does not divide/);
  });

  it('builds runs whose arms differ only in what each comparison changes', () => {
    const [mine, always] = shiftArms(defaults);
    expect(mine.label).toBe('80 / 10 / 10');
    expect({ ...always, label: mine.label, maskProb: mine.maskProb, randomProb: mine.randomProb }).toEqual(mine);
    expect([always.maskProb, always.randomProb]).toEqual([1, 0]);
    const [bert, roberta] = robertaArms(defaults);
    expect([bert.nsp, bert.dynamicMasking, roberta.nsp, roberta.dynamicMasking]).toEqual([true, false, false, true]);
    const run = toBertRun(defaults, data, [bert]);
    expect(run.model).toEqual({ wordVocab: 3000, nLayers: 2, dModel: 64, nHeads: 4, maxLength: 48 });
    expect(run.seed).toBe(1);
  });
});
