import { describe, expect, it } from 'vitest';
import { lrAt } from '../../core';
import { parseSchedule, scheduleCurve } from './scheduleForm';

const ok = { kind: 'cosine' as const, peak: '0.001', warmup: '100', total: '1000', floor: '0.1' };

describe('parseSchedule', () => {
  it('turns valid fields into a ScheduleConfig', () => {
    expect(parseSchedule(ok)).toEqual({
      config: { kind: 'cosine', lr: 0.001, warmupSteps: 100, totalSteps: 1000, minLrRatio: 0.1 },
      errors: {},
    });
  });

  it('names every bad field', () => {
    const r = parseSchedule({ ...ok, peak: '-1', warmup: '2.5', total: 'x', floor: '2' });
    expect(r.config).toBeNull();
    expect(Object.keys(r.errors).sort()).toEqual(['floor', 'peak', 'total', 'warmup']);
    expect(parseSchedule({ ...ok, warmup: '2000' }).errors.warmup).toMatch(/cannot be longer/);
  });
});

describe('scheduleCurve', () => {
  it('samples lrAt from step 0 to the last step, with the warmup peak and the cosine floor', () => {
    const cfg = parseSchedule(ok).config!;
    const curve = scheduleCurve(cfg, lrAt, 1000);
    expect(curve).toHaveLength(1000);
    expect(curve[99].value).toBeCloseTo(0.001, 12); // warmup ends at the peak
    expect(curve[0].value).toBeCloseTo(0.001 / 100, 12);
    expect(curve.at(-1)!.step).toBe(999);
    expect(curve.at(-1)!.value).toBeGreaterThanOrEqual(0.0001 - 1e-12);
    expect(scheduleCurve(cfg, lrAt, 10).length).toBeLessThanOrEqual(11);
  });
});
