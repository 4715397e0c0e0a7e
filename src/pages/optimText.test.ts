import { describe, expect, it } from 'vitest';
import { demoOptim, type ArmTraining } from './demoOptim';
import { describeOptim } from './optimText';

const base: ArmTraining = demoOptim(0.003);

describe('describeOptim', () => {
  it('calls the optimiser Adam when there is no weight decay', () => {
    expect(describeOptim(base)).toBe(
      'Adam (β₁ = 0.9, β₂ = 0.99), a 20-step linear warmup to a constant rate, gradient clipping at norm 1',
    );
  });

  it('calls it AdamW, with its decay, when the weights decay', () => {
    expect(describeOptim({ ...base, optimizer: { kind: 'adamw', beta1: 0.9, beta2: 0.95, weightDecay: 0.1 } })).toMatch(
      /^AdamW \(β₁ = 0\.9, β₂ = 0\.95, weight decay 0\.1\), /,
    );
  });

  it('names a decay schedule, a missing warmup and missing clipping', () => {
    expect(
      describeOptim({ ...base, schedule: { ...base.schedule, kind: 'cosine', warmupSteps: 0 }, clipNorm: null }),
    ).toBe('Adam (β₁ = 0.9, β₂ = 0.99), no warmup, a cosine decay, no gradient clipping');
    expect(describeOptim({ ...base, schedule: { ...base.schedule, kind: 'linear' } })).toContain(
      'a 20-step linear warmup to the peak rate, then a linear decay',
    );
    expect(describeOptim({ ...base, schedule: { ...base.schedule, warmupSteps: 0 } })).toContain(
      'a constant rate without warmup',
    );
  });

  it('names the other optimisers', () => {
    expect(describeOptim({ ...base, optimizer: { kind: 'sgd' } })).toMatch(/^SGD, /);
  });
});
