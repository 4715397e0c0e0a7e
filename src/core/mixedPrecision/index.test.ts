import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../index';
import * as mp from './index';

describe('src/core/mixedPrecision public surface', () => {
  it('exports the loss scaler and the fp16 simulation', () => {
    for (const name of [
      'lossScaleInit',
      'lossScaleUpdate',
      'lossScaleTrace',
      'staticLossScaleConfig',
      'checkLossScaleConfig',
      'roundToFp16Array',
      'scaleToFp16',
      'unscale',
      'fp16GradStats',
      'histogramLog2',
      'floorLog2',
    ]) {
      expect(typeof (mp as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(mp.LOSS_SCALE_DEFAULTS.initScale).toBe(2 ** 15);
    expect(mp.PYTORCH_GRAD_SCALER_DEFAULTS.initScale).toBe(65536);
    expect(mp.FP16_LOG2_MARKERS.minSubnormal).toBe(-24);
  });

  it('shares no export name with src/core/index.ts, so `export * from "./mixedPrecision"` there is safe', () => {
    const clash = Object.keys(mp).filter(
      (k) => k in core && (core as Record<string, unknown>)[k] !== (mp as Record<string, unknown>)[k],
    );
    expect(clash).toEqual([]);
  });

  it('imports only src/core files (no tfjs, no DOM)', () => {
    const dir = new URL('./', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        expect(m[1] === '../fp16' || m[1].startsWith('./'), `${file} imports ${m[1]}`).toBe(true);
      }
      expect(/\b(document|window|localStorage)\./.test(text), `${file} touches the DOM`).toBe(false);
    }
  });
});
