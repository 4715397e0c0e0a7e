import { describe, expect, it } from 'vitest';
import { RACER_LABELS } from '../../../core/optim/race';
import { markerPath, RACER_KINDS, RACER_STYLES } from './racerStyle';

describe('racer styles', () => {
  it('cover every racer the core knows, once each', () => {
    expect([...RACER_KINDS].sort()).toEqual(Object.keys(RACER_LABELS).sort());
  });

  it('tell racers apart without colour: dash patterns and marker shapes are all distinct', () => {
    const dashes = RACER_KINDS.map((k) => RACER_STYLES[k].dash);
    const markers = RACER_KINDS.map((k) => RACER_STYLES[k].marker);
    expect(new Set(dashes).size).toBe(RACER_KINDS.length);
    expect(new Set(markers).size).toBe(RACER_KINDS.length);
  });

  it('draws markers centred where asked', () => {
    expect(markerPath('square', 10, 20, 3)).toBe('M7 17h6v6h-6Z');
    expect(markerPath('diamond', 0, 0, 2)).toBe('M0 -2L2 0L0 2L-2 0Z');
    expect(markerPath('triangle', 5, 5, 1)).toBe('M5 4L6 6L4 6Z');
    expect(markerPath('cross', 0, 0, 1)).toBe('M-1 -1L1 1M1 -1L-1 1');
    expect(markerPath('circle', 1, 1, 1)).toBe('M0 1a1 1 0 1 0 2 0a1 1 0 1 0 -2 0Z');
  });
});
