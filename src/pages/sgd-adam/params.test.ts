import { describe, expect, it } from 'vitest';
import { defaultValues, parseParams } from '../../core/params';
import { RACE_PARAMS, raceArms } from './params';

describe('raceArms', () => {
  it('decays the AdamW arm’s weight matrices only, unless decayset=all', () => {
    const v = defaultValues(RACE_PARAMS);
    expect(v.decayset).toBe('matrices');
    const adamw = (values: typeof v) => raceArms(values).find((a) => a.optimizer.kind === 'adamw')!.optimizer;
    expect(adamw(v)).toMatchObject({ weightDecay: 0.1, decayAll: false });
    const all = parseParams(RACE_PARAMS, new URLSearchParams('decayset=all')).values;
    expect(adamw({ ...v, ...all })).toMatchObject({ decayAll: true });
  });
});
