import { describe, expect, it } from 'vitest';
import { LOSS_SCALE_DEFAULTS } from '../../core';
import { FP16_OVERFLOW, parseSimFields, simulateScaler, spikyMaxGrad } from './scalerSim';

const cfg = { ...LOSS_SCALE_DEFAULTS, initScale: 2 ** 10, growthInterval: 4 };

describe('simulateScaler', () => {
  it('climbs every N clean steps to the ceiling, overflows once, backs off and climbs again', () => {
    // Largest gradient 2^-2: 2^18 * 2^-2 = 65536 overflows, 2^17 * 2^-2 = 32768 does not.
    const run = simulateScaler(40, spikyMaxGrad(-2, 0, 0), cfg);
    expect(FP16_OVERFLOW).toBe(65520);
    expect(run.slice(0, 5).map((r) => Math.log2(r.scale))).toEqual([10, 10, 10, 10, 11]);
    const skips = run.filter((r) => r.skipped);
    // From 2^10 to 2^18 takes 8 growths of 4 steps: the first overflow is step 32, at 2^18.
    // Back at 2^17, four clean steps later it tries 2^18 again: a sawtooth with period N + 1.
    expect(skips.map((r) => r.step)).toEqual([32, 37]);
    expect(skips[0].scale).toBe(2 ** 18);
    expect(Math.log2(run[33].scale)).toBe(17);
    expect(Math.max(...run.map((r) => r.scale))).toBe(2 ** 18);
  });

  it('a spike every 10 steps costs a skip and a halving when the scale is near the ceiling', () => {
    const run = simulateScaler(30, spikyMaxGrad(-10, 10, 6), { ...cfg, initScale: 2 ** 20 });
    // The scale grows 2^20 -> 2^22 by step 8; the spike at step 9 makes 2^22 * 2^-4 = 2^18 overflow.
    expect(run.filter((r) => r.skipped).map((r) => r.step)).toEqual([9, 19, 29]);
    expect(run[9].scale).toBe(2 ** 22);
    expect(run[10].scale).toBe(2 ** 21);
    expect(Math.max(...run.map((r) => r.scale))).toBe(2 ** 24); // capped at maxScale
  });

  it('with a static scale nothing moves, but an overflowing step is still skipped', () => {
    const run = simulateScaler(12, spikyMaxGrad(0, 6, 0), {
      ...cfg,
      kind: 'static',
      initScale: 2 ** 16,
      minScale: 2 ** 16,
      maxScale: 2 ** 16,
    });
    expect(new Set(run.map((r) => r.scale))).toEqual(new Set([2 ** 16]));
    expect(run.every((r) => r.skipped)).toBe(true); // 1 * 65536 overflows every step
  });
});

describe('parseSimFields', () => {
  const ok = { k: '-6', init: '15', n: '20', every: '0', spike: '3' };
  it('reads whole numbers in range', () => {
    expect(parseSimFields(ok)).toEqual({ values: { k: -6, init: 15, n: 20, every: 0, spike: 3 }, errors: {} });
  });
  it('names each bad field', () => {
    const r = parseSimFields({ ...ok, k: 'abc', n: '0', spike: '2.5', init: '25' });
    expect(r.values).toBeNull();
    expect(Object.keys(r.errors).sort()).toEqual(['init', 'k', 'n', 'spike']);
    expect(r.errors.n).toBe('Growth interval N: a whole number from 1 to 1000.');
  });
});
