// The one number rule every field uses (parameter tables through checkParam,
// side fields directly): hex and underflow refused with a message, as a link
// and a form field refuse them.
import { describe, expect, it } from 'vitest';
import { checkParam, parseParams, readNumber, type ParamSpec } from './params';

describe('readNumber', () => {
  it('reads decimal and scientific notation', () => {
    for (const [raw, value] of [
      ['0.01', 0.01],
      [' 1e-3 ', 1e-3],
      ['-2.5', -2.5],
      ['.5', 0.5],
      ['7.', 7],
      ['0', 0],
      ['0.000', 0],
      ['0e-400', 0],
      ['-0', -0],
      ['1e-320', 1e-320],
    ] as const) {
      expect(readNumber(raw, 'x'), raw).toEqual({ ok: true, value });
    }
  });

  it('refuses hex, which Number() reads as 16', () => {
    expect(Number('0x10')).toBe(16);
    expect(readNumber('0x10', 'Runs')).toEqual({ ok: false, reason: 'syntax', error: 'Runs must be a number.' });
    for (const raw of ['0b11', '0o7', 'Infinity', 'NaN', '1/2', '3px', '1_000', '１２']) {
      expect(readNumber(raw, 'x').ok, raw).toBe(false);
    }
  });

  it('refuses a nonzero literal that would be read as 0, and one too large', () => {
    expect(Number('1e-400')).toBe(0);
    expect(readNumber('1e-400', 'Peak rate')).toEqual({
      ok: false,
      reason: 'underflow',
      error: 'Peak rate is too close to 0 to store: 1e-400 would be read as 0. Type 0 or a larger number.',
    });
    expect(readNumber('-0.0001e-330', 'x')).toMatchObject({ ok: false, reason: 'underflow' });
    expect(readNumber('1e999', 'x')).toMatchObject({ ok: false, reason: 'infinite' });
    expect(readNumber('', 'x')).toMatchObject({ ok: false, reason: 'empty', error: 'x is required.' });
  });
});

describe('checkParam and links', () => {
  const wd: ParamSpec = { kind: 'float', key: 'wd', label: 'Weight decay', default: 0.1, min: 0, max: 1 };

  it('refuses a link’s underflowing value instead of reading it as 0', () => {
    expect(checkParam(wd, '1e-400')).toEqual({
      ok: false,
      error: 'Weight decay is too close to 0 to store: 1e-400 would be read as 0. Type 0 or a larger number.',
    });
    const { values, notices } = parseParams([wd], new URLSearchParams('wd=1e-400'));
    expect(values.wd).toBe(0.1);
    expect(notices[0]).toMatch(/^Ignored wd="1e-400" from the link: Weight decay is too close to 0/);
    expect(checkParam(wd, '0')).toEqual({ ok: true, value: 0 });
  });
});
