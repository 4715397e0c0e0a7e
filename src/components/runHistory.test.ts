// Run history's pure part: the pinned record, its downsampling, the cap and the labels.
import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../core/params';
import type { EvalPoint, StepPoint } from '../train/contract';
import {
  diffLabel,
  downsample,
  isPinnedList,
  labelPinned,
  MAX_PINNED,
  MAX_PINNED_POINTS,
  MAX_PINNED_TEXT,
  pinnedSpec,
  pathOf,
  pinRecord,
  queryOf,
  settingChanges,
  withPinned,
  type PinnedRun,
} from './runHistory';

const point = (step: number, arms = 1): StepPoint => ({
  step,
  loss: 5 - step / 1000,
  lr: 0.01,
  gradNorm: 1,
  tokensSeen: step * 256,
  tokensPerSecond: 1000,
  stepMs: 10,
  arms: Array.from({ length: arms }, (_, a) => ({ total: 5 - step / 1000 - a })),
  tracked: [{ g: 1, m: 2, v: 3 }],
});
const evalAt = (step: number): EvalPoint => ({ step, heldOutLoss: 5 - step / 900 });

function run(id: string, query: string, extra: Partial<PinnedRun> = {}): PinnedRun {
  return {
    id,
    label: '',
    armLabels: ['GPT'],
    points: [],
    evals: [],
    spec: null,
    link: `#/x?${query}`,
    query,
    pinnedAt: 0,
    steps: 0,
    ...extra,
  };
}

describe('downsample', () => {
  it('returns a short series whole, as a copy', () => {
    const pts = [1, 2, 3];
    const out = downsample(pts, 5);
    expect(out).toEqual(pts);
    expect(out).not.toBe(pts);
  });

  it('keeps at most max measured points, evenly spaced, first and last included', () => {
    for (const n of [501, 1000, 1234, 10_000]) {
      const pts = Array.from({ length: n }, (_, i) => i);
      const out = downsample(pts, 500);
      expect(out.length).toBe(500);
      expect(out[0]).toBe(0);
      expect(out.at(-1)).toBe(n - 1);
      // Strictly increasing picks whose gaps are the ideal spacing (n-1)/(max-1) rounded one way or the other.
      const ideal = (n - 1) / 499;
      for (let k = 1; k < out.length; k++) {
        const gap = out[k] - out[k - 1];
        expect(gap).toBeGreaterThanOrEqual(Math.floor(ideal));
        expect(gap).toBeLessThanOrEqual(Math.ceil(ideal));
      }
    }
  });

  it('keeps the last point when only one fits', () => {
    expect(downsample([1, 2, 3], 1)).toEqual([3]);
  });
});

describe('pinRecord', () => {
  it('keeps every evaluation, at most MAX_PINNED_POINTS training points per arm, and no tracked elements', () => {
    const points = Array.from({ length: 3000 }, (_, i) => point(i + 1, 5));
    const evals = Array.from({ length: 121 }, (_, i) => evalAt(i * 25));
    const rec = pinRecord({
      id: 'a',
      label: '',
      armLabels: ['SGD', 'Adam', 'AdamW', 'm', 'AF'],
      points,
      evals,
      link: '#/optimization/sgd-adam?lr=0.01',
      query: 'lr=0.01',
      pinnedAt: 123,
    });
    expect(rec.points.length).toBe(MAX_PINNED_POINTS);
    expect(rec.points.every((p) => p.arms?.length === 5 && p.tracked === undefined)).toBe(true);
    expect(rec.points[0].step).toBe(1);
    expect(rec.points.at(-1)!.step).toBe(3000);
    expect(rec.evals).toEqual(evals);
    expect(rec.steps).toBe(3000);
    expect(rec.spec).toBeNull();
    // Compact: far less than the run as it came from the worker.
    expect(JSON.stringify(rec).length).toBeLessThan(JSON.stringify({ points, evals }).length / 5);
  });
});

describe('pinnedSpec', () => {
  const base = {
    task: 'gpt',
    seed: 1,
    batchSize: 8,
    evalEvery: 25,
    model: {},
    arms: [],
  } as unknown as Exclude<PinnedRun['spec'], null>;
  it('keeps a spec that names its corpus, and one with a short inline text', () => {
    const corpus = { ...base, data: { kind: 'corpus', name: 'brown', url: '/brown.json' } } as typeof base;
    expect(pinnedSpec(corpus)).toBe(corpus);
    const short = { ...base, data: { kind: 'text', train: 'a'.repeat(1000), heldOut: 'b' } } as typeof base;
    expect(pinnedSpec(short)).toBe(short);
  });
  it('drops a spec carrying a long custom text, and has none for none', () => {
    const long = {
      ...base,
      data: { kind: 'text', train: 'a'.repeat(MAX_PINNED_TEXT), heldOut: 'b' },
    } as typeof base;
    expect(pinnedSpec(long)).toBeNull();
    expect(pinnedSpec(undefined)).toBeNull();
  });
});

describe('withPinned', () => {
  it('keeps the newest MAX_PINNED, oldest dropped, order kept', () => {
    let list: PinnedRun[] = [];
    for (let i = 1; i <= 7; i++) list = withPinned(list, run(`r${i}`, `lr=${i}`));
    expect(MAX_PINNED).toBe(5);
    expect(list.map((r) => r.id)).toEqual(['r3', 'r4', 'r5', 'r6', 'r7']);
  });
});

describe('labels', () => {
  it('names each changed key, pinned value first, ignoring the app keys', () => {
    expect(diffLabel('lr=0.01&seed=1&present=1', 'lr=0.003&seed=1')).toBe('lr 0.01 → 0.003');
    expect(diffLabel('lr=0.01', '')).toBe('lr 0.01 → default');
    expect(diffLabel('', 'lr=0.01')).toBe('lr default → 0.01');
    expect(diffLabel('b=2&a=1', 'a=3&b=2')).toBe('a 1 → 3');
    expect(diffLabel('lr=0.01', 'lr=0.01&present=1')).toBe('same settings');
  });

  it('writes numbers as typed (no float noise, same number same value)', () => {
    expect(diffLabel('lr=0.30000000000000004', 'lr=0.5')).toBe('lr 0.3 → 0.5');
    expect(settingChanges('lr=0.010', 'lr=0.01', [])).toEqual([]);
  });

  it('with the page table: its labels, its defaults for absent keys, its order, enum option labels', () => {
    const table: ParamSpec[] = [
      { kind: 'float', key: 'lr', label: 'Learning rate', default: 0.003, min: 0, max: 1 },
      { kind: 'int', key: 'seed', label: 'Seed', default: 1, min: 0, max: 99 },
      {
        kind: 'enum',
        key: 'tok',
        label: 'Tokens',
        default: 'char',
        options: ['char', 'word'],
        optionLabels: { word: 'words' },
      },
    ];
    expect(diffLabel('lr=0.01', '', table)).toBe('Learning rate 0.01 → 0.003');
    expect(diffLabel('tok=word&seed=2', 'seed=1', table)).toBe('Seed 2 → 1, Tokens words → char');
    // Keys outside the table (another demo's, the view's) are not this run's settings.
    expect(diffLabel('temp=0.5', 'temp=1', table)).toBe('same settings');
    // A default written out equals it absent.
    expect(diffLabel('lr=0.003', '', table)).toBe('same settings');
  });

  it('names at most three changes and counts the rest', () => {
    expect(diffLabel('a=1&b=1&c=1&d=1', 'a=2&b=2&c=2&d=2')).toBe('a 1 → 2, b 1 → 2, c 1 → 2 (+1 more)');
  });

  it('tells runs with the same name apart, the oldest keeping the plain name, against the current query', () => {
    const list = [run('1', 'lr=0.01'), run('2', ''), run('3', ''), run('4', 'lr=0.01')];
    expect(labelPinned(list, '').map((r) => r.label)).toEqual([
      'lr 0.01 → default',
      'same settings',
      'same settings (2)',
      'lr 0.01 → default (2)',
    ]);
    expect(labelPinned(list, 'lr=0.01').map((r) => r.label)).toEqual([
      'same settings',
      'lr default → 0.01',
      'lr default → 0.01 (2)',
      'same settings (2)',
    ]);
  });
});

describe('links and stored values', () => {
  it('splits a hash link into route and query', () => {
    expect(pathOf('#/objectives/decoder-only?lr=0.01')).toBe('/objectives/decoder-only');
    expect(queryOf('#/objectives/decoder-only?lr=0.01&seed=2')).toBe('lr=0.01&seed=2');
    expect(pathOf('')).toBe('/');
    expect(queryOf('#/x')).toBe('');
  });

  it('accepts only lists of pinned runs from storage', () => {
    expect(isPinnedList([run('a', '')])).toBe(true);
    expect(isPinnedList([])).toBe(true);
    expect(isPinnedList(undefined)).toBe(false);
    expect(isPinnedList([{ id: 'a' }])).toBe(false);
    expect(isPinnedList({ id: 'a' })).toBe(false);
  });
});
