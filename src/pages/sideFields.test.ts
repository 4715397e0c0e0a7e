// The number fields no parameter table drives (the schedule editor, the BERT
// size counter, the mask sampler, the noise demo, the optimiser race, the
// loss-scaler simulation and the FP16 explorer) read numbers through core's
// rule, as the tables do: "0x10" is not 16, and "1e-400" is not silently 0.
import { describe, expect, it } from 'vitest';
import { BERT_LARGE } from '../core';
import { parseRate, parseSpan } from './encoder-decoder/NoiseDemo';
import { checkField, FIELDS } from './encoder-only/BertSizeCounter';
import { checkRuns } from './encoder-only/MaskSampler';
import { parseSchedule } from './learning-rates/scheduleForm';
import { parseExplorerInput } from './mixed-precision/explorerInput';
import { parseSimFields, SIM_FIELDS } from './mixed-precision/scalerSim';
import { parseNumberField } from './sgd-adam/race/raceForm';

const UNDERFLOW = /too (close to 0|small).*1e-400 would be read as 0|1e-400 is too small for a 64-bit double/;

describe('side fields', () => {
  it('the schedule editor', () => {
    const ok = { kind: 'cosine' as const, peak: '0.001', warmup: '16', total: '1000', floor: '0.1' };
    expect(parseSchedule({ ...ok, warmup: '0x10' }).errors.warmup).toBe('Warmup: a whole number of steps, 0 or more.');
    expect(parseSchedule({ ...ok, floor: '1e-400' }).errors.floor).toMatch(UNDERFLOW);
    expect(parseSchedule({ ...ok, peak: '1e-400' }).errors.peak).toMatch(UNDERFLOW);
    expect(parseSchedule({ ...ok, floor: '0' }).config?.minLrRatio).toBe(0);
  });

  it('the BERT size counter', () => {
    const layers = FIELDS[0];
    expect(checkField(layers, '0x10')).toBe('Layers L must be a whole number.');
    expect(checkField(layers, '1e-400')).toMatch(UNDERFLOW);
    expect(checkField(layers, String(BERT_LARGE.layers))).toBeNull();
  });

  it('the mask sampler', () => {
    expect(checkRuns('0x10')).toEqual({ runs: null, error: 'Enter a whole number of runs.' });
    expect(checkRuns('1e-400').error).toMatch(UNDERFLOW);
    expect(checkRuns('1e3')).toEqual({ runs: 1000, error: null });
  });

  it('the noise demo', () => {
    expect(parseRate('0x1')).toEqual({ value: null, error: 'Enter a number between 0 and 1.' });
    expect(parseRate('1e-400').error).toMatch(UNDERFLOW);
    expect(parseRate('0')).toEqual({ value: 0, error: null });
    expect(parseSpan('0x10', 'mean')).toEqual({ value: null, error: 'Enter a number.' });
  });

  it('the optimiser race', () => {
    const lr = { label: 'Learning rate η', min: 0, max: 10 };
    expect(parseNumberField(lr, '0x10')).toEqual({
      ok: false,
      error: 'Learning rate η must be a number, like 0.01 or 1e-3.',
    });
    expect(parseNumberField(lr, '1e-400')).toMatchObject({ ok: false, error: expect.stringMatching(UNDERFLOW) });
  });

  it('the loss-scaler simulation', () => {
    const raw = Object.fromEntries(SIM_FIELDS.map(([key, , min]) => [key, String(min)])) as Parameters<
      typeof parseSimFields
    >[0];
    expect(parseSimFields(raw).values).not.toBeNull();
    const [key, label, min, max] = SIM_FIELDS[0];
    expect(parseSimFields({ ...raw, [key]: '0x10' }).errors[key]).toBe(
      `${label}: a whole number from ${min} to ${max}.`,
    );
    expect(parseSimFields({ ...raw, [key]: '1e-400' }).errors[key]).toMatch(UNDERFLOW);
  });

  it('the FP16 explorer', () => {
    expect(parseExplorerInput('0x10').ok).toBe(false);
    const tiny = parseExplorerInput('1e-400');
    expect(tiny.ok).toBe(false);
    expect(!tiny.ok && tiny.error).toMatch(UNDERFLOW);
    // Too large for a double is +∞, as in FP16.
    expect(parseExplorerInput('1e400')).toEqual({ ok: true, value: Infinity });
  });
});
