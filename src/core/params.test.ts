import { describe, expect, it } from 'vitest';
import { checkParam, parseParams, writeParams, type ParamSpec, type ParamTable, type ValuesOf } from './params';

const specs: ParamSpec[] = [
  { kind: 'int', key: 'layers', label: 'Layers', default: 2, min: 1, max: 8 },
  { kind: 'float', key: 'lr', label: 'Learning rate', default: 0.003, min: 1e-6, max: 1 },
  { kind: 'enum', key: 'backend', label: 'Backend', default: 'auto', options: ['auto', 'wasm', 'webgl'] },
];

describe('checkParam', () => {
  it('accepts valid values', () => {
    expect(checkParam(specs[0], ' 4 ')).toEqual({ ok: true, value: 4 });
    expect(checkParam(specs[1], '3e-4')).toEqual({ ok: true, value: 3e-4 });
    expect(checkParam(specs[2], 'wasm')).toEqual({ ok: true, value: 'wasm' });
  });
  it('rejects with a message naming the field and the rule', () => {
    expect(checkParam(specs[0], '2.5')).toEqual({ ok: false, error: 'Layers must be a whole number.' });
    expect(checkParam(specs[0], '9')).toEqual({ ok: false, error: 'Layers must be between 1 and 8.' });
    expect(checkParam(specs[1], 'abc')).toEqual({ ok: false, error: 'Learning rate must be a number.' });
    expect(checkParam(specs[1], '')).toEqual({ ok: false, error: 'Learning rate is required.' });
    expect(checkParam(specs[1], '1e999')).toEqual({ ok: false, error: 'Learning rate must be a finite number.' });
    expect(checkParam(specs[1], '0x10').ok).toBe(false);
    expect(checkParam(specs[2], 'tpu')).toEqual({ ok: false, error: 'Backend must be one of auto, wasm, webgl.' });
  });
});

describe('URL round trip', () => {
  it('falls back to defaults with a notice for malformed values', () => {
    const { values, notices } = parseParams(specs, new URLSearchParams('layers=banana&lr=0.01&backend=tpu'));
    expect(values).toEqual({ layers: 2, lr: 0.01, backend: 'auto' });
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain('layers="banana"');
  });
  it('takes the first copy of a repeated key and names the others in a notice', () => {
    const { values, notices } = parseParams(specs, new URLSearchParams('lr=0.01&layers=3&lr=banana&lr=0.01&lr=0.5'));
    expect(values).toEqual({ layers: 3, lr: 0.01, backend: 'auto' });
    expect(notices).toEqual([
      'Ignored lr="banana", lr="0.5" from the link: lr is given 4 times and only the first counts.',
    ]);
    expect(parseParams(specs, new URLSearchParams('layers=3&layers=3')).notices).toEqual([]);
  });
  it('writes only non-defaults and keeps unrelated keys', () => {
    const q = writeParams(specs, { layers: 3, lr: 0.003, backend: 'wasm' }, new URLSearchParams('present=1&lr=0.5'));
    expect(q.toString()).toBe('present=1&layers=3&backend=wasm');
    const back = parseParams(specs, q);
    expect(back.values).toEqual({ layers: 3, lr: 0.003, backend: 'wasm' });
    expect(back.notices).toEqual([]);
  });
});

describe('a link that breaks a rule between fields', () => {
  const table = [
    { kind: 'int', key: 'width', label: 'Width', default: 64, min: 8, max: 256 },
    { kind: 'int', key: 'heads', label: 'Heads', default: 4, min: 1, max: 16 },
    { kind: 'float', key: 'mask', label: 'Mask', default: 0.8, min: 0, max: 1 },
    { kind: 'float', key: 'rand', label: 'Random', default: 0.1, min: 0, max: 1 },
  ] as const satisfies ParamTable;
  const rules = (v: ValuesOf<typeof table>) => ({
    ...(v.width % v.heads !== 0 ? { heads: `${v.heads} does not divide ${v.width}.` } : {}),
    ...(v.mask + v.rand > 1 ? { rand: 'The shares add up to more than 1.' } : {}),
  });

  it('sets the named field back to its default, with a notice', () => {
    const { values, notices } = parseParams(table, new URLSearchParams('mask=0.9&rand=0.9'), rules);
    expect(values).toEqual({ width: 64, heads: 4, mask: 0.9, rand: 0.1 });
    expect(notices).toEqual(['Ignored rand="0.9" from the link: The shares add up to more than 1. Using rand = 0.1.']);
  });

  it('sets every field the link set back when the named one is not enough', () => {
    const { values, notices } = parseParams(table, new URLSearchParams('width=100&heads=3'), rules);
    expect(values).toEqual({ width: 100, heads: 4, mask: 0.8, rand: 0.1 });
    expect(notices).toHaveLength(1);
    const worse = parseParams(table, new URLSearchParams('width=90&heads=7'), rules);
    expect(worse.values).toEqual({ width: 64, heads: 4, mask: 0.8, rand: 0.1 });
    expect(worse.notices[0]).toMatch(
      /^Ignored width="90", heads="7" from the link: 7 does not divide 90\. Using width = 64, heads = 4\.$/,
    );
  });

  it('leaves a link that agrees with itself alone', () => {
    expect(parseParams(table, new URLSearchParams('width=96&heads=3'), rules)).toEqual({
      values: { width: 96, heads: 3, mask: 0.8, rand: 0.1 },
      notices: [],
    });
  });
});
