import { describe, expect, it } from 'vitest';
import {
  estimateStep,
  formatMemory,
  formatSeconds,
  STEP_BUDGET_BYTES,
  stepBudgetProblem,
  stepParameters,
  type StepShape,
} from './stepBudget';

// A GPT small enough to count by hand: 1 layer, width 8, 2 heads, context 4, batch 2, 10 tokens.
const TINY: StepShape = { task: 'gpt', layers: 1, dModel: 8, heads: 2, context: 4, batch: 2, vocab: 10, arms: 1 };

describe('estimateStep', () => {
  it('counts a tiny GPT by hand', () => {
    // wte 10x8 + wpe 4x8 + block (12·64 + 13·8) + final norm 2·8 = 80 + 32 + 872 + 16.
    expect(stepParameters(TINY)).toBe(1000);
    const e = estimateStep(TINY);
    // N = 2 x 4 = 8 positions. Activations: 128·N·d per layer + 16·N·d outside = 8192 + 1024 floats.
    expect(e.bytes.activations).toBe(9216 * 4);
    // Attention: 8 per score, B·H·T² = 2·2·16 per layer.
    expect(e.bytes.attention).toBe(512 * 4);
    // Vocabulary: 2 (one-hot in) + 8 (logits) per position and token: 10·8·10.
    expect(e.bytes.vocabulary).toBe(800 * 4);
    // Parameters: 4 per arm (weights, two moments, a copy) + 4 for the step (gradients, update).
    expect(e.bytes.parameters).toBe(8000 * 4);
    expect(e.bytes.total).toBe(18528 * 4);
    // FLOPs: matrices 6·N·12d² = 36,864; attention 12·B·T²·d = 3,072; logits 6·N·d·V = 3,840; one-hot 4·N·V·d = 2,560.
    expect(e.flops).toBe(46336);
    expect(e.seconds).toBeCloseTo(46336 / 1e10, 15);
  });

  it('multiplies the weights and optimiser state, not the activations, by the arms', () => {
    const one = estimateStep(TINY);
    const three = estimateStep({ ...TINY, arms: 3 });
    expect(three.bytes.parameters).toBe((4 * 3 + 4) * 1000 * 4);
    expect(three.bytes.activations).toBe(one.bytes.activations);
    expect(three.bytes.attention).toBe(one.bytes.attention);
    expect(three.flops).toBe(3 * one.flops);
  });

  it('prices attention by heads × context²', () => {
    const base = estimateStep({ ...TINY, context: 64 });
    const heads = estimateStep({ ...TINY, context: 64, heads: 8 });
    expect(heads.bytes.attention).toBe(4 * base.bytes.attention);
    expect(heads.bytes.activations).toBe(base.bytes.activations);
    const long = estimateStep({ ...TINY, context: 128 });
    expect(long.bytes.attention).toBe(4 * base.bytes.attention);
  });

  it('scores only the selected share of a BERT batch, and all of an encoder-decoder’s targets', () => {
    const bert: StepShape = {
      task: 'bert',
      layers: 1,
      dModel: 8,
      heads: 2,
      length: 4,
      batch: 2,
      vocab: 10,
      selectRate: 0.25,
      arms: 1,
    };
    // wte 80 + wpe 32 + segments 16 + block 872 + final norm 16 + MLM bias 10 + NSP 16 + 2.
    expect(stepParameters(bert)).toBe(1044);
    // 8 positions in (2 each), 2 scored (8 each) per token.
    expect(estimateStep(bert).bytes.vocabulary).toBe((2 * 8 * 10 + 8 * 2 * 10) * 4);
    const encdec: StepShape = {
      task: 'encdec',
      layers: 1,
      dModel: 8,
      heads: 2,
      source: 4,
      target: 3,
      batch: 2,
      vocab: 10,
      arms: 1,
    };
    // wte 80 + positions 7·8 + encoder block 872 + norm 16 + decoder block (872 + 4·64 + 48) + norm 16.
    expect(stepParameters(encdec)).toBe(80 + 56 + 872 + 16 + 1176 + 16);
    const e = estimateStep(encdec);
    // Scores: encoder 4², decoder 3², cross 3·4, for batch 2 and 2 heads, 8 each.
    expect(e.bytes.attention).toBe(8 * 2 * 2 * (16 + 9 + 12) * 4);
    // Positions: 8 source + 1.5 x 6 target per layer, 14 in total outside.
    expect(e.bytes.activations).toBe((128 * (8 + 1.5 * 6) * 8 + 16 * 14 * 8) * 4);
  });
});

describe('stepBudgetProblem', () => {
  it('lets a small step through', () => {
    expect(stepBudgetProblem(TINY)).toBeNull();
  });

  it('refuses the configurations that grew the wasm heap to gigabytes, naming the biggest part', () => {
    // The largest link the old activation product allowed: a 3.1 GB heap and an 11.7 s first step.
    const attentionHeavy: StepShape = {
      task: 'gpt',
      layers: 8,
      dModel: 256,
      heads: 16,
      context: 256,
      batch: 7,
      vocab: 256,
      arms: 1,
    };
    const e = estimateStep(attentionHeavy);
    expect(e.bytes.total).toBeGreaterThan(3e9);
    const message = stepBudgetProblem(attentionHeavy)!;
    expect(message).toContain('about 4 GB of tensors');
    expect(message).toContain('attention scores 1.9 GB');
    expect(message).toContain(`the limit is ${formatMemory(STEP_BUDGET_BYTES)}`);
    const wide = stepBudgetProblem({ ...attentionHeavy, heads: 4, batch: 128 })!;
    expect(wide).toContain('44 GB');
    expect(wide).toContain('Make batch × context × width × layers smaller.');
  });

  it('takes another budget', () => {
    expect(stepBudgetProblem(TINY, 1000)).toContain('the limit is 1 KB');
  });
});

describe('formatting', () => {
  it('writes sizes in decimal units and times in seconds', () => {
    expect(formatMemory(512_000_000)).toBe('512 MB');
    expect(formatMemory(3_760_000_000)).toBe('3.8 GB');
    expect(formatMemory(74_112)).toBe('74 KB');
    expect(formatSeconds(0.046)).toBe('0.05 s');
    expect(formatSeconds(1.23)).toBe('1.2 s');
    expect(formatSeconds(14.4)).toBe('14 s');
  });
});
