import { describe, expect, it } from 'vitest';
import { defaultValues, parseParams } from '../core/params';
import { DECODER_PARAMS, decoderCrossCheck, toRunSpec } from './tinyGpt';

describe('decoder-only hyperparameters', () => {
  it('defaults pass every check', () => {
    expect(decoderCrossCheck(defaultValues(DECODER_PARAMS))).toEqual({});
  });
  it('width must split over the heads', () => {
    const v = { ...defaultValues(DECODER_PARAMS), width: 64, heads: 3 };
    expect(decoderCrossCheck(v).heads).toContain('3 does not divide 64');
  });
  it('refuses a step too large for a browser tab, attention included', () => {
    const v = { ...defaultValues(DECODER_PARAMS), width: 256, ctx: 256, batch: 128, layers: 8 };
    expect(decoderCrossCheck(v).batch).toContain('the limit is 512 MB');
    // Under the old activation product (7·256·256·8 < 16,000,000), yet 16 heads × 256² scores per layer.
    const heads = { ...defaultValues(DECODER_PARAMS), width: 256, ctx: 256, batch: 7, layers: 8, heads: 16 };
    expect(decoderCrossCheck(heads).batch).toMatch(
      /about 4 GB of tensors \(activations 1.9 GB, attention scores 1.9 GB/,
    );
  });
  it('a link becomes a run spec; temperature is not part of the run', () => {
    const { values } = parseParams(DECODER_PARAMS, new URLSearchParams('seed=7&lr=0.003&backend=wasm&temp=1.5'));
    const data = { kind: 'corpus', name: 'brown', url: 'http://x/corpus/brown.json' } as const;
    const run = toRunSpec(values, data);
    expect(run.seed).toBe(7);
    expect(run.arms[0].schedule.lr).toBe(0.003);
    expect(run.model).toMatchObject({ nLayers: 2, dModel: 64, nHeads: 4, contextLength: 64, tokenizer: 'char' });
    expect(JSON.stringify(run)).toBe(JSON.stringify(toRunSpec({ ...values, temp: 0.1 }, data)));
  });
});
