import { describe, expect, it } from 'vitest';
import { pow2, superscript } from './power';

describe('pow2', () => {
  it('writes the exponent as superscript characters', () => {
    expect(pow2(-25)).toBe('2⁻²⁵');
    expect(pow2(0)).toBe('2⁰');
    expect(pow2(16)).toBe('2¹⁶');
    expect(superscript(-1234567890)).toBe('⁻¹²³⁴⁵⁶⁷⁸⁹⁰');
  });

  it('falls back to a caret for a fractional exponent', () => {
    expect(superscript(1.5)).toBeNull();
    expect(pow2(1.5)).toBe('2^1.5');
  });
});
