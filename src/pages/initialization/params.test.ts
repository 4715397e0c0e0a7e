import { describe, expect, it } from 'vitest';
import { checkParam, defaultValues } from '../../core/params';
import type { DataSource } from '../../train/contract';
import { INIT_ARMS, RACE_PARAMS, raceCrossCheck, REFERENCE_ARM, STACK_PARAMS, toInitRun, toStackInput } from './params';

const data: DataSource = { kind: 'corpus', name: 'brown', url: 'http://127.0.0.1/corpus/brown.json' };

describe('toInitRun', () => {
  it('builds one arm per init, in lecture order, with the same Adam and the form’s model', () => {
    const v = { ...defaultValues(RACE_PARAMS), lr: 0.01, layers: 3, width: 48, heads: 6, batch: 5, seed: 9 };
    const run = toInitRun(v, data);
    expect(run.task).toBe('gpt');
    expect(run.seed).toBe(9);
    expect(run.model).toMatchObject({ nLayers: 3, dModel: 48, nHeads: 6, tokenizer: 'char' });
    expect(run.arms.map((a) => a.init)).toEqual(['xavier', 'normal', 'gpt2', 't5']);
    expect(run.arms.map((a) => a.label)).toEqual(INIT_ARMS.map((a) => a.label));
    for (const arm of run.arms) {
      expect(arm.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 });
      expect(arm.schedule).toMatchObject({ lr: 0.01, warmupSteps: 20 });
      expect(arm.clipNorm).toBe(1);
    }
    expect(run.batchSize).toBe(5);
    expect(run.referenceArm).toBe(REFERENCE_ARM);
    expect(run.arms[REFERENCE_ARM].init).toBe('gpt2');
    expect(run.data).toBe(data);
  });

  it('defaults: 24 layers, width 32, 4 heads, batch 8, Adam at 3e-3', () => {
    const run = toInitRun(defaultValues(RACE_PARAMS), data);
    expect(run.model).toMatchObject({ nLayers: 24, dModel: 32, nHeads: 4 });
    expect(run.batchSize).toBe(8);
    expect(run.arms[0].schedule.lr).toBe(0.003);
  });
});

describe('bad input', () => {
  it('width must be a multiple of the number of heads', () => {
    const v = defaultValues(RACE_PARAMS);
    expect(raceCrossCheck(v)).toEqual({});
    expect(raceCrossCheck({ ...v, width: 30, heads: 4 }).width).toBe(
      'Width 30 must be a multiple of the number of heads (4).',
    );
    expect(raceCrossCheck({ ...v, width: 30, heads: 3 })).toEqual({});
  });

  it('depth is a whole number from 1 to 96', () => {
    const depth = STACK_PARAMS.find((s) => s.key === 'depth')!;
    expect(checkParam(depth, '48')).toEqual({ ok: true, value: 48 });
    expect(checkParam(depth, '96')).toEqual({ ok: true, value: 96 });
    expect(checkParam(depth, '0')).toEqual({ ok: false, error: 'Depth L must be between 1 and 96.' });
    expect(checkParam(depth, '2.5')).toEqual({ ok: false, error: 'Depth L must be a whole number.' });
    expect(checkParam(depth, 'deep')).toEqual({ ok: false, error: 'Depth L must be a number.' });
  });

  it('the two tables share no key (one URL, distinct field ids)', () => {
    const a: string[] = STACK_PARAMS.map((s) => s.key);
    expect(RACE_PARAMS.filter((s) => a.includes(s.key))).toEqual([]);
  });
});

describe('toStackInput', () => {
  it('maps the explorer’s fields', () => {
    expect(toStackInput(defaultValues(STACK_PARAMS))).toEqual({ depth: 48, width: 64, std: 0.02, batch: 16, seed: 0 });
  });
});
