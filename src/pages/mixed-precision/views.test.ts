import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../../train/contract';
import { formatShare, formatValue, parseExplorerInput } from './explorerInput';
import { FP16_BANDS, log2Scale, markerPosition } from './fp16Axis';
import { scaleTrace } from './scaleTrace';

describe('parseExplorerInput', () => {
  it('reads decimals, exponents, infinities and NaN', () => {
    expect(parseExplorerInput(' 1e-7 ')).toEqual({ ok: true, value: 1e-7 });
    expect(parseExplorerInput('-3.5')).toEqual({ ok: true, value: -3.5 });
    expect(parseExplorerInput('65520')).toEqual({ ok: true, value: 65520 });
    expect(parseExplorerInput('.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseExplorerInput('-Infinity')).toEqual({ ok: true, value: -Infinity });
    expect(parseExplorerInput('inf')).toEqual({ ok: true, value: Infinity });
    expect(parseExplorerInput('1e400')).toEqual({ ok: true, value: Infinity });
    expect(parseExplorerInput('-1,5e400')).toEqual({ ok: true, value: -Infinity });
    expect(parseExplorerInput('0,1')).toEqual({ ok: true, value: 0.1 });
    const nan = parseExplorerInput('NaN');
    expect(nan.ok && Number.isNaN(nan.value)).toBe(true);
  });

  it('refuses text that is not a number, with a message', () => {
    for (const bad of ['abc', '', '1,000', '0x10', '1e', '--1', '3 4']) {
      const r = parseExplorerInput(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    }
  });
});

describe('formatValue', () => {
  it('prints exact integers, short decimals and scientific notation for the tiny', () => {
    expect(formatValue(65504)).toBe('65504');
    expect(formatValue(0.0999755859375)).toBe('0.099975586');
    expect(formatValue(2 ** -24)).toBe('5.9604645e-8');
    expect(formatValue(-0)).toBe('−0');
    expect(formatValue(Infinity)).toBe('+∞');
    expect(formatValue(1e-8)).toBe('1e-8');
  });
});

describe('formatShare', () => {
  it('never prints a nonzero share as 0', () => {
    expect([0, 0.00001, 0.0123, 0.5, 1].map(formatShare)).toEqual(['0%', '< 0.01%', '1.23%', '50.0%', '100.0%']);
    expect(formatShare(NaN)).toBe('—');
  });
});

describe('FP16_BANDS and the axis', () => {
  it('puts 0 up to 2^-25, subnormals to 2^-14, normals to the 65520 tie', () => {
    expect(FP16_BANDS.map((b) => [b.id, b.from, b.to])).toEqual([
      ['zero', -Infinity, -25],
      ['subnormal', -25, -14],
      ['normal', -14, Math.log2(65520)],
      ['overflow', Math.log2(65520), Infinity],
    ]);
  });

  it('maps and clamps log2 values to pixels', () => {
    const x = log2Scale(-30, 17, 0, 470);
    expect([x(-30), x(-20), x(17), x(100), x(-Infinity)]).toEqual([0, 100, 470, 470, 0]);
  });

  it('places a typed value, clamping 0, Infinity and far values', () => {
    expect(markerPosition(3, -30, 17)).toEqual({ log2: Math.log2(3), clamped: false });
    expect(markerPosition(-0.25, -30, 17)).toEqual({ log2: -2, clamped: false });
    expect(markerPosition(0, -30, 17)).toEqual({ log2: -30, clamped: true });
    expect(markerPosition(1e-20, -30, 17)).toEqual({ log2: -30, clamped: true });
    expect(markerPosition(-Infinity, -30, 17)).toEqual({ log2: 17, clamped: true });
    expect(markerPosition(NaN, -30, 17)).toBeNull();
  });
});

function pt(step: number, arms: Record<string, number>[]): StepPoint {
  return { step, loss: 1, lr: 1, gradNorm: 1, tokensSeen: 0, tokensPerSecond: 0, stepMs: 0, arms };
}

describe('scaleTrace', () => {
  it('keeps the staircase corners and the skipped steps of one arm', () => {
    const scales = [1024, 1024, 1024, 2048, 1024, 1024, 1024];
    const skipped = [0, 0, 0, 1, 0, 0, 0];
    const points = scales.map((s, i) => pt(i + 1, [{ total: 3 }, { total: 3, lossScale: s, skipped: skipped[i] }]));
    expect(scaleTrace(points, 1)).toEqual({
      line: [
        { step: 1, log2: 10 },
        { step: 3, log2: 10 },
        { step: 4, log2: 11 },
        { step: 5, log2: 10 },
        { step: 7, log2: 10 },
      ],
      skips: [{ step: 4, log2: 11 }],
    });
    expect(scaleTrace(points, 0)).toBeNull();
    expect(scaleTrace([], 1)).toBeNull();
  });
});
