import { describe, expect, it } from 'vitest';
import { claimShownAt, judgeClaim, readClaim, type Claim, type ClaimData } from './claims';

const base: Claim = {
  id: 't',
  lookFor: 'A beats B',
  metric: 'total',
  metricLabel: 'held-out loss',
  better: 'lower',
  source: { kind: 'eval' },
  winner: 0,
  loser: 1,
  step: 50,
  showMargin: 0.1,
  digits: 2,
};

const data: ClaimData = {
  evals: [
    { step: 0, arms: [{ total: 4 }, { total: 4 }] },
    { step: 25, arms: [{ total: 3.0 }, { total: 3.05 }] },
    { step: 50, arms: [{ total: 2.5 }, { total: 2.8 }] },
  ],
  points: [1, 2, 3, 4].map((step) => ({ step, arms: [{ total: 3 + step * 0.1 }, { total: step === 2 ? 9 : 3 }] })),
};

describe('readClaim', () => {
  it('reads the held-out margin at the claimed step, signed by which way is better', () => {
    expect(readClaim(base, data)!.margin).toBeCloseTo(0.3, 12);
    expect(readClaim({ ...base, better: 'higher' }, data)!.margin).toBeCloseTo(-0.3, 12);
    expect(readClaim(base, data, 25)!.margin).toBeCloseTo(0.05, 12);
  });

  it('is null before the step is reported', () => {
    expect(readClaim({ ...base, step: 75 }, data)).toBeNull();
  });

  it('counts a diverged loser as untrained, and a diverged winner as a loss', () => {
    const d: ClaimData = {
      ...data,
      evals: [...data.evals.slice(0, 2), { step: 50, arms: [{ total: 2.5 }, { total: Number.NaN }] }],
    };
    expect(readClaim(base, d)!.margin).toBeCloseTo(1.5, 12);
    const w: ClaimData = {
      ...data,
      evals: [...data.evals.slice(0, 2), { step: 50, arms: [{ total: Infinity }, { total: 2 }] }],
    };
    expect(readClaim(base, w)!.margin).toBe(Number.NEGATIVE_INFINITY);
  });

  it('reads training windows: the peak and the mean', () => {
    const peak: Claim = { ...base, source: { kind: 'train-max', window: 3 }, step: 4 };
    // steps 2..4: arm 0 peaks at 3.4, arm 1 at 9.
    expect(readClaim(peak, data)!.margin).toBeCloseTo(9 - 3.4, 12);
    const mean: Claim = { ...base, source: { kind: 'train-mean', window: 2 }, step: 4 };
    // steps 3..4: arm 0 mean 3.35, arm 1 mean 3.
    expect(readClaim(mean, data)!.margin).toBeCloseTo(3 - 3.35, 12);
  });
});

describe('claimShownAt', () => {
  it('is the first evaluation whose margin reaches showMargin', () => {
    expect(claimShownAt(base, data)?.step).toBe(50);
    expect(claimShownAt({ ...base, showMargin: 0.01 }, data)?.step).toBe(25);
    expect(claimShownAt({ ...base, showMargin: 1 }, data)).toBeNull();
  });
});

describe('judgeClaim', () => {
  it('holds when every seed is positive, the mean beats the spread and time is within the limit', () => {
    const v = judgeClaim([0.3, 0.4, 0.35], [20, 30, 25], 60);
    expect(v.holds).toBe(true);
    expect(v.mean).toBeCloseTo(0.35, 12);
    expect(v.worst).toBe(0.3);
    expect(v.spread).toBeCloseTo(0.1, 12);
    expect(v.seconds).toBe(30);
  });

  it('fails on a negative seed, a spread larger than the mean, or a slow step, and says why', () => {
    expect(judgeClaim([0.3, -0.01, 0.4], [1, 1, 1], 60).why).toEqual([
      'margin not positive in every seed',
      'mean margin not larger than the spread between seeds',
    ]);
    expect(judgeClaim([0.05, 0.5, 0.3], [1, 1, 1], 60).why).toEqual([
      'mean margin not larger than the spread between seeds',
    ]);
    expect(judgeClaim([0.3, 0.3, 0.3], [10, 61, 10], 60).why).toEqual(['step reached after 61.0 s, over 60 s']);
    expect(judgeClaim([0.3, Number.NEGATIVE_INFINITY], [1, 1], 60).holds).toBe(false);
  });
});
