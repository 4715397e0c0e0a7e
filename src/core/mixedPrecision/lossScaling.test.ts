import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng';
import {
  LOSS_SCALE_DEFAULTS,
  PYTORCH_GRAD_SCALER_DEFAULTS,
  checkLossScaleConfig,
  lossScaleInit,
  lossScaleTrace,
  lossScaleUpdate,
  staticLossScaleConfig,
  type LossScaleConfig,
  type LossScaleState,
} from './lossScaling';

const small: LossScaleConfig = {
  kind: 'dynamic',
  initScale: 8,
  growthFactor: 2,
  backoffFactor: 0.5,
  growthInterval: 3,
  minScale: 1,
  maxScale: 32,
};

const st = (scale: number, goodSteps: number, skipped: number): LossScaleState => ({ scale, goodSteps, skipped });

describe('lossScaleUpdate transitions', () => {
  it('starts at initScale with no good or skipped steps', () => {
    expect(lossScaleInit()).toEqual(st(2 ** 15, 0, 0));
    expect(lossScaleInit(small)).toEqual(st(8, 0, 0));
  });

  it('counts a good step without changing the scale', () => {
    expect(lossScaleUpdate(st(8, 0, 0), false, small)).toEqual({ state: st(8, 1, 0), skip: false });
    expect(lossScaleUpdate(st(8, 1, 4), false, small)).toEqual({ state: st(8, 2, 4), skip: false });
  });

  it('grows by growthFactor on the growthInterval-th consecutive good step and resets the counter', () => {
    expect(lossScaleUpdate(st(8, 2, 1), false, small)).toEqual({ state: st(16, 0, 1), skip: false });
  });

  it('caps growth at maxScale (and still resets the counter)', () => {
    expect(lossScaleUpdate(st(32, 2, 0), false, small)).toEqual({ state: st(32, 0, 0), skip: false });
    expect(lossScaleUpdate(st(24, 2, 0), false, small)).toEqual({ state: st(32, 0, 0), skip: false });
  });

  it('on overflow skips, backs off, resets goodSteps and counts the skip', () => {
    expect(lossScaleUpdate(st(8, 2, 0), true, small)).toEqual({ state: st(4, 0, 1), skip: true });
  });

  it('never backs off below minScale', () => {
    expect(lossScaleUpdate(st(1, 0, 3), true, small)).toEqual({ state: st(1, 0, 4), skip: true });
    expect(lossScaleUpdate(st(1.5, 1, 0), true, small)).toEqual({ state: st(1, 0, 1), skip: true });
  });

  it('does not modify the state it is given', () => {
    const s = st(8, 2, 0);
    lossScaleUpdate(s, true, small);
    lossScaleUpdate(s, false, small);
    expect(s).toEqual(st(8, 2, 0));
  });

  it('uses the notebook defaults when no config is passed', () => {
    let s = lossScaleInit();
    for (let i = 0; i < 1999; i++) s = lossScaleUpdate(s, false).state;
    expect(s).toEqual(st(2 ** 15, 1999, 0));
    expect(lossScaleUpdate(s, false).state).toEqual(st(2 ** 16, 0, 0));
    expect(lossScaleUpdate(s, true)).toEqual({ state: st(2 ** 14, 0, 1), skip: true });
  });
});

describe('static loss scale', () => {
  const cfg = staticLossScaleConfig(1024);

  it('never changes the scale, but still skips overflowing steps', () => {
    let s = lossScaleInit(cfg);
    expect(s.scale).toBe(1024);
    for (let i = 0; i < 5000; i++) s = lossScaleUpdate(s, false, cfg).state;
    expect(s).toEqual(st(1024, 5000, 0));
    const r = lossScaleUpdate(s, true, cfg);
    expect(r).toEqual({ state: st(1024, 0, 1), skip: true });
    expect(lossScaleUpdate(r.state, true, cfg).state).toEqual(st(1024, 0, 2));
  });

  it('ignores growth and backoff factors even if they are set', () => {
    const odd: LossScaleConfig = { ...cfg, growthFactor: 8, backoffFactor: 0.125, growthInterval: 1 };
    expect(lossScaleUpdate(st(1024, 0, 0), false, odd).state).toEqual(st(1024, 1, 0));
    expect(lossScaleUpdate(st(1024, 0, 0), true, odd).state).toEqual(st(1024, 0, 1));
  });
});

describe('a long sequence against a hand-written expectation', () => {
  // init 8, x2 every 3 good steps, /2 on overflow, within [1, 32].
  const seq = '...O.OOOO' + '.'.repeat(18) + 'O..O...';
  // [scale, goodSteps, skipped] after each step, worked out by hand.
  const expected: [number, number, number][] = [
    [8, 1, 0],
    [8, 2, 0],
    [16, 0, 0], // growth
    [8, 0, 1], // overflow
    [8, 1, 1],
    [4, 0, 2],
    [2, 0, 3],
    [1, 0, 4],
    [1, 0, 5], // backoff hits minScale
    [1, 1, 5],
    [1, 2, 5],
    [2, 0, 5],
    [2, 1, 5],
    [2, 2, 5],
    [4, 0, 5],
    [4, 1, 5],
    [4, 2, 5],
    [8, 0, 5],
    [8, 1, 5],
    [8, 2, 5],
    [16, 0, 5],
    [16, 1, 5],
    [16, 2, 5],
    [32, 0, 5],
    [32, 1, 5],
    [32, 2, 5],
    [32, 0, 5], // capped at maxScale
    [16, 0, 6],
    [16, 1, 6],
    [16, 2, 6],
    [8, 0, 7], // overflow one step before growth resets the counter
    [8, 1, 7],
    [8, 2, 7],
    [16, 0, 7],
  ];

  it(`matches all ${expected.length} steps exactly`, () => {
    expect(seq.length).toBe(expected.length);
    const trace = lossScaleTrace(
      [...seq].map((c) => c === 'O'),
      small,
    );
    expect(trace.map((r) => [r.state.scale, r.state.goodSteps, r.state.skipped])).toEqual(expected);
    expect(trace.map((r) => r.skip)).toEqual([...seq].map((c) => c === 'O'));
  });
});

/**
 * PyTorch's GradScaler update (torch._amp_update_scale_), re-stated from its
 * documentation: scale is a float32 tensor; on inf/nan scale *= backoff and
 * the growth tracker resets; otherwise the tracker counts up and, when it
 * reaches growth_interval, scale *= growth if the result is finite in float32,
 * and the tracker resets. There is no min or max scale.
 */
function pytorchReference(overflows: boolean[], init: number, growth: number, backoff: number, interval: number) {
  let scale = Math.fround(init);
  let tracker = 0;
  const out: [number, number][] = [];
  for (const inf of overflows) {
    if (inf) {
      scale = Math.fround(scale * backoff);
      tracker = 0;
    } else {
      const successful = tracker + 1;
      if (successful === interval) {
        const next = Math.fround(scale * growth);
        if (Number.isFinite(next)) scale = next;
        tracker = 0;
      } else tracker = successful;
    }
    out.push([scale, tracker]);
  }
  return out;
}

describe('equivalence with torch.cuda.amp.GradScaler', () => {
  it('PYTORCH_GRAD_SCALER_DEFAULTS are the documented defaults (init 65536 = 2^16, x2, x0.5, 2000)', () => {
    const p = PYTORCH_GRAD_SCALER_DEFAULTS;
    expect([p.initScale, p.growthFactor, p.backoffFactor, p.growthInterval]).toEqual([65536, 2, 0.5, 2000]);
    expect(p.initScale).toBe(2 ** 16);
    // The notebook default differs only in the initial scale: one PyTorch backoff lands on it.
    const { initScale: _a, minScale: _b, maxScale: _c, ...rest } = LOSS_SCALE_DEFAULTS;
    const { initScale: _d, minScale: _e, maxScale: _f, ...restP } = p;
    expect(rest).toEqual(restP);
    expect(lossScaleUpdate(lossScaleInit(p), true, p).state.scale).toBe(LOSS_SCALE_DEFAULTS.initScale);
  });

  it('follows the PyTorch rule over 30000 steps with its defaults', () => {
    const rng = makeRng(7);
    const seq = Array.from({ length: 30000 }, () => rng() < 0.0004);
    const ref = pytorchReference(seq, 65536, 2, 0.5, 2000);
    const trace = lossScaleTrace(seq, PYTORCH_GRAD_SCALER_DEFAULTS);
    const diff = trace.flatMap((r, i) =>
      r.state.scale === ref[i][0] && r.state.goodSteps === ref[i][1] && r.skip === seq[i] ? [] : [i],
    );
    expect(diff).toEqual([]);
    expect(new Set(ref.map((r) => r[0])).size).toBeGreaterThan(3); // the scale really moved
  });

  it('matches PyTorch up to float32 saturation (2^127) with a short growth interval', () => {
    const cfg = { ...PYTORCH_GRAD_SCALER_DEFAULTS, growthInterval: 3 };
    const rng = makeRng(11);
    const seq = [
      ...Array.from({ length: 3000 }, () => rng() < 0.2),
      ...Array.from({ length: 400 }, () => false), // enough growth to saturate
      ...Array.from({ length: 60 }, () => true), // then a deep backoff
    ];
    const ref = pytorchReference(seq, 65536, 2, 0.5, 3);
    const trace = lossScaleTrace(seq, cfg);
    expect(trace.map((r) => [r.state.scale, r.state.goodSteps])).toEqual(ref);
    expect(Math.max(...ref.map((r) => r[0]))).toBe(2 ** 127);
    expect(Math.min(...ref.map((r) => r[0]))).toBeLessThan(1); // PyTorch has no floor
  });
});

describe('checkLossScaleConfig', () => {
  it('accepts the presets and rejects impossible settings', () => {
    expect(() => checkLossScaleConfig(LOSS_SCALE_DEFAULTS)).not.toThrow();
    expect(() => checkLossScaleConfig(PYTORCH_GRAD_SCALER_DEFAULTS)).not.toThrow();
    expect(() => checkLossScaleConfig(staticLossScaleConfig(1))).not.toThrow();
    const bad: Partial<LossScaleConfig>[] = [
      { initScale: 0 },
      { initScale: Infinity },
      { initScale: 0.5 }, // below minScale 1
      { initScale: 2 ** 25 }, // above maxScale
      { growthFactor: 0.5 },
      { backoffFactor: 0 },
      { backoffFactor: 2 },
      { growthInterval: 0 },
      { growthInterval: 2.5 },
      { minScale: 4, maxScale: 2 },
      { maxScale: Infinity },
    ];
    for (const b of bad) {
      expect(
        () => lossScaleUpdate(st(2 ** 15, 0, 0), false, { ...LOSS_SCALE_DEFAULTS, ...b }),
        JSON.stringify(b),
      ).toThrow();
    }
  });
});
