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

describe('readNumber with a decimal comma', () => {
  it('reads one comma as a decimal point', () => {
    for (const [raw, value] of [
      ['0,003', 0.003],
      ['0,5', 0.5],
      [' 2,5 ', 2.5],
      ['-0,25', -0.25],
      [',5', 0.5],
      ['3,', 3],
      ['2,5e-3', 0.0025],
      ['1,5', 1.5],
      ['12,34', 12.34],
      ['1000,5', 1000.5],
      ['1,0000', 1],
      ['0,000', 0],
    ] as const) {
      expect(readNumber(raw, 'x'), raw).toEqual({ ok: true, value });
    }
  });

  it('refuses a comma that could be a thousands separator, asking for a point', () => {
    expect(readNumber('1,000', 'Steps')).toEqual({
      ok: false,
      reason: 'syntax',
      error: 'Steps must be a number: use a point for decimals (1.000) and no thousands separator (1000).',
    });
    for (const raw of ['12,500', '-250,000', '999,999e-3']) {
      expect(readNumber(raw, 'x'), raw).toMatchObject({ ok: false, error: expect.stringContaining('use a point') });
    }
  });

  it('refuses two commas, or a comma beside a point', () => {
    for (const raw of ['1,000,000', '1,000.5', '1.000,5', '0,,5', ',', '1,2,3', '0x1,5']) {
      expect(readNumber(raw, 'x').ok, raw).toBe(false);
    }
  });

  it('applies the range and whole-number rules to the value read', () => {
    const lr: ParamSpec = { kind: 'float', key: 'lr', label: 'Learning rate', default: 0.003, min: 1e-5, max: 1 };
    expect(checkParam(lr, '0,003')).toEqual({ ok: true, value: 0.003 });
    expect(checkParam(lr, '1,5')).toEqual({ ok: false, error: 'Learning rate must be between 0.00001 and 1.' });
    const steps: ParamSpec = { kind: 'int', key: 'n', label: 'Steps', default: 10, min: 1, max: 5000 };
    expect(checkParam(steps, '2,5')).toEqual({ ok: false, error: 'Steps must be a whole number.' });
    expect(checkParam(steps, '1,000')).toMatchObject({ ok: false, error: expect.stringContaining('use a point') });
    expect(parseParams([lr], new URLSearchParams('lr=0,01')).values.lr).toBe(0.01);
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
