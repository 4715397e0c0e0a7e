import { describe, expect, it } from 'vitest';
import { gptDecoderShapes } from '../../core/optim';
import { isMissing, memoryBars, type MemoryBar } from './bars';

describe('memoryBars from a bare parameter count (P = 1000)', () => {
  const bars = memoryBars(1000);

  it('has one bar per optimiser and precision, FP32 first', () => {
    expect(bars.map((b) => b.id)).toEqual([
      'sgd-fp32',
      'sgd-mixed',
      'momentum-fp32',
      'momentum-mixed',
      'adam-fp32',
      'adam-mixed',
      'adafactor-fp32',
      'adafactor-mixed',
    ]);
    expect(bars[0].title).toBe('SGD, FP32');
    expect(bars[5].title).toBe('Adam, mixed precision');
  });

  it('prices SGD and Adam in both precisions, segment by segment', () => {
    const byId = Object.fromEntries(bars.map((b) => [b.id, b])) as Record<string, MemoryBar>;
    expect(byId['sgd-fp32']).toEqual({
      id: 'sgd-fp32',
      optimizer: 'sgd',
      precision: 'fp32',
      title: 'SGD, FP32',
      total: 8000,
      bytesPerParameter: 8,
      valuesPerParameter: 2,
      share: 0.5,
      segments: [
        { kind: 'weights', bytes: 4000, share: 0.25, label: 'θ FP32' },
        { kind: 'gradients', bytes: 4000, share: 0.25, label: 'g FP32' },
      ],
    });
    expect(byId['sgd-mixed'].segments).toEqual([
      { kind: 'weights', bytes: 2000, share: 0.125, label: 'θ FP16' },
      { kind: 'gradients', bytes: 2000, share: 0.125, label: 'g FP16' },
      { kind: 'master', bytes: 4000, share: 0.25, label: 'master θ FP32' },
    ]);
    expect(byId['momentum-fp32'].total).toBe(12_000);
    expect(byId['momentum-fp32'].segments.at(-1)).toEqual({
      kind: 'state',
      bytes: 4000,
      share: 0.25,
      label: 'momentum FP32',
    });
    expect(byId['adam-fp32'].segments.map((s) => s.bytes)).toEqual([4000, 4000, 8000]);
    expect(byId['adam-fp32'].share).toBe(1);
    expect(byId['adam-fp32'].valuesPerParameter).toBe(4);
    // Mixed precision: the same 16 bytes a parameter, in four parts.
    expect(byId['adam-mixed'].segments.map((s) => s.bytes)).toEqual([2000, 2000, 4000, 8000]);
    expect(byId['adam-mixed'].total).toBe(16_000);
    expect(byId['adam-mixed'].valuesPerParameter).toBe(5);
  });

  it('cannot price AdaFactor without shapes, and says why', () => {
    const adafactor = bars.filter((b) => b.optimizer === 'adafactor');
    expect(adafactor).toHaveLength(2);
    for (const b of adafactor) {
      expect(isMissing(b)).toBe(true);
      if (isMissing(b)) expect(b.missing).toMatch(/shape of every matrix/);
    }
  });
});

describe('memoryBars from shapes', () => {
  // The hand-computed decoder of memory.test.ts: P = 304, AdaFactor state 145 numbers.
  const bars = memoryBars(gptDecoderShapes({ layers: 1, dModel: 4, vocab: 10, context: 3 }));

  it('prices AdaFactor from the factored statistics, scaled to Adam', () => {
    const adafactor = bars.find((b) => b.id === 'adafactor-fp32') as MemoryBar;
    expect(adafactor.total).toBe(304 * 8 + 580);
    expect(adafactor.share).toBe((304 * 8 + 580) / (304 * 16));
    expect(adafactor.segments.at(-1)).toEqual({
      kind: 'state',
      bytes: 580,
      share: 580 / 4864,
      label: 'row + column stats FP32',
    });
    const mixed = bars.find((b) => b.id === 'adafactor-mixed') as MemoryBar;
    expect(mixed.segments.map((s) => s.kind)).toEqual(['weights', 'gradients', 'master', 'state']);
    expect(mixed.total).toBe(304 * 8 + 580);
  });

  it('segment shares add up to the bar share', () => {
    for (const b of bars) {
      if (isMissing(b)) throw new Error(`${b.id} should be priced`);
      expect(b.segments.reduce((s, x) => s + x.share, 0)).toBeCloseTo(b.share, 12);
      expect(b.segments.reduce((s, x) => s + x.bytes, 0)).toBe(b.total);
    }
  });
});
