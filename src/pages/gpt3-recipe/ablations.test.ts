import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../../train/contract';
import { clippedShare, parseAblations, recipeArms, writeAblations } from './ablations';
import { toyRecipe } from './recipe';

describe('ablations in the URL', () => {
  it('defaults when absent, allows none, sorts and drops unknown names with a notice', () => {
    expect(parseAblations(null)).toEqual({ ids: ['clip', 'warmup', 'beta2'], notices: [] });
    expect(parseAblations('')).toEqual({ ids: [], notices: [] });
    expect(parseAblations('beta2,clip,clip').ids).toEqual(['clip', 'beta2']);
    const bad = parseAblations('warmup,<b>x</b>');
    expect(bad.ids).toEqual(['warmup']);
    expect(bad.notices[0]).toContain('"<b>x</b>"');
  });

  it('keeps at most four', () => {
    const p = parseAblations('clip,warmup,cosine,ramp,decay,beta2');
    expect(p.ids).toEqual(['clip', 'warmup', 'cosine', 'ramp']);
    expect(p.notices).toHaveLength(1);
  });

  it('writes canonical order, and removes the key for the default', () => {
    const q = new URLSearchParams('lr=0.01');
    expect(writeAblations(['ramp', 'clip'], q).toString()).toBe('lr=0.01&ablate=clip%2Cramp');
    expect(writeAblations(['beta2', 'warmup', 'clip'], new URLSearchParams('ablate=ramp')).toString()).toBe('');
    expect(writeAblations([], q).get('ablate')).toBe('');
  });
});

describe('recipeArms', () => {
  const toy = toyRecipe({ lr: 0.02, steps: 300, batch: 8, contextLength: 32 });
  const h = { lr: 0.02, clip: 1, weightDecay: 0.1 };

  it('arm 0 is the whole recipe', () => {
    const [full] = recipeArms(toy, h, []);
    expect(full).toEqual({
      label: 'full recipe',
      optimizer: { kind: 'adamw', beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 },
      clipNorm: 1,
      schedule: { kind: 'cosine', lr: 0.02, warmupSteps: 15, totalSteps: 265, minLrRatio: 0.1 },
      batchRamp: { start: 1, rampTokens: 4065 },
    });
  });

  it('each ablation switches exactly one ingredient off', () => {
    const arms = recipeArms(toy, h, ['beta2', 'decay', 'ramp', 'cosine']);
    expect(arms.map((a) => a.label)).toEqual([
      'full recipe',
      'no cosine decay',
      'no batch ramp',
      'no weight decay',
      'β₂ 0.999',
    ]);
    const [full, cosine, ramp, decay, beta2] = arms;
    expect(cosine).toEqual({ ...full, label: 'no cosine decay', schedule: { ...full.schedule, kind: 'constant' } });
    expect('batchRamp' in ramp).toBe(false);
    expect({ ...ramp, batchRamp: full.batchRamp }).toEqual({ ...full, label: 'no batch ramp' });
    expect(decay.optimizer).toEqual({ ...full.optimizer, weightDecay: 0 });
    expect(beta2.optimizer).toEqual({ ...full.optimizer, beta2: 0.999 });
    const [, clip, warm] = recipeArms(toy, h, ['clip', 'warmup']);
    expect(clip.clipNorm).toBeNull();
    expect(warm.schedule).toEqual({ ...full.schedule, warmupSteps: 0 });
    // The full recipe is not changed by building ablations from it.
    expect(full.optimizer).toEqual({ kind: 'adamw', beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 });
  });
});

describe('clippedShare', () => {
  const point = (step: number, norms: number[]): StepPoint => ({
    step,
    loss: 0,
    lr: 0,
    gradNorm: 0,
    tokensSeen: 0,
    tokensPerSecond: 0,
    stepMs: 0,
    arms: norms.map((gradNorm) => ({ total: 1, gradNorm })),
  });

  it('counts steps whose norm exceeded the threshold, skipping non-finite ones', () => {
    const pts = [point(1, [2.5, 0.5]), point(2, [1, 0.9]), point(3, [1.01, Number.NaN]), point(4, [0.2, 3])];
    expect(clippedShare(pts, 0, 1)).toEqual({ steps: 4, over: 2, share: 0.5 });
    expect(clippedShare(pts, 1, 1)).toEqual({ steps: 3, over: 1, share: 1 / 3 });
    expect(clippedShare(pts, 0, 0.1).share).toBe(1);
    expect(clippedShare([], 0, 1)).toEqual({ steps: 0, over: 0, share: null });
  });
});
