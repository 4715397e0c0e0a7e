import { describe, expect, it } from 'vitest';
import { defaultValues } from '../../core/params';
import type { DataSource } from '../../train/contract';
import { RECIPE_PARAMS, WD_PARAMS, recipeCrossCheck, toRecipeRun, toWdRun, wdCrossCheck } from './params';

const data: DataSource = { kind: 'text', train: 'abc', heldOut: 'abc' };

describe('the two forms', () => {
  it('share no URL key', () => {
    const a: string[] = RECIPE_PARAMS.map((s) => s.key);
    expect(WD_PARAMS.every((s) => s.key.startsWith('wd_') && !a.includes(s.key))).toBe(true);
  });

  it('refuse widths the four heads cannot split', () => {
    expect(recipeCrossCheck({ ...defaultValues(RECIPE_PARAMS), width: 30 })).toHaveProperty('width');
    expect(wdCrossCheck({ ...defaultValues(WD_PARAMS), wd_width: 30 })).toHaveProperty('wd_width');
    expect(recipeCrossCheck(defaultValues(RECIPE_PARAMS))).toEqual({});
  });
});

describe('toRecipeRun', () => {
  it('trains the full recipe and the chosen ablations on one seed and batch', () => {
    const run = toRecipeRun(
      { ...defaultValues(RECIPE_PARAMS), seed: 7, layers: 1, width: 32, batch: 4 },
      ['clip', 'warmup'],
      data,
    );
    expect(run.arms.map((a) => a.label)).toEqual(['full recipe', 'no clipping', 'no warmup']);
    expect(run.seed).toBe(7);
    expect(run.model).toMatchObject({ nLayers: 1, dModel: 32, contextLength: 32 });
    expect(run.batchSize).toBe(4);
    expect(run.arms[0]).toMatchObject({
      schedule: { kind: 'cosine', lr: 0.01, warmupSteps: 15, totalSteps: 265 },
      clipNorm: 1,
      optimizer: { beta2: 0.95 },
    });
    // Batch 4: the ramp starts at one row.
    expect(run.arms[0].batchRamp?.start).toBe(1);
  });
});

describe('toWdRun', () => {
  it('differs between its arms only in coupled vs decoupled decay', () => {
    const run = toWdRun({ ...defaultValues(WD_PARAMS), wd_lr: 0.003, wd_wd: 0.5 }, data);
    const [l2, w] = run.arms;
    expect(l2.optimizer).toEqual({
      kind: 'adam',
      beta1: 0.9,
      beta2: 0.95,
      eps: 1e-8,
      weightDecay: 0.5,
      decayAll: false,
    });
    expect(w.optimizer).toEqual({ ...l2.optimizer, kind: 'adamw' });
    expect(run.arms.map((a) => a.schedule.lr)).toEqual([0.003, 0.003]);
    expect(run.batchSize).toBe(8);
  });

  it('decays the weight matrices only unless wd_decayset=all, in both arms', () => {
    expect(defaultValues(WD_PARAMS).wd_decayset).toBe('matrices');
    const all = toWdRun({ ...defaultValues(WD_PARAMS), wd_decayset: 'all' }, data);
    expect(all.arms.map((a) => a.optimizer)).toMatchObject([
      { kind: 'adam', decayAll: true },
      { kind: 'adamw', decayAll: true },
    ]);
  });
});
