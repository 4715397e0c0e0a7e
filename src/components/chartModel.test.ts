import { describe, expect, it } from 'vitest';
import {
  dashOf,
  defaultShown,
  endLabelText,
  measuredNear,
  REFERENCE_DASH,
  shownKeys,
  spreadLabels,
  tooltipRows,
  typicalSpacing,
  type Series,
} from './chartModel';
import { ARM_DASHES, armSeries, armStyle } from './series';

const steps = (from: number, to: number, every: number, value: (s: number) => number) => {
  const out = [];
  for (let s = from; s <= to; s += every) out.push({ step: s, value: value(s) });
  return out;
};

/** A two-arm race as the learning-rates page draws it: training every step to 66, held out every 25 from 0. */
function race(): Series[] {
  return [
    armSeries('train0', 'warmup', 0, steps(1, 66, 1, (s) => 4 - s / 100)),
    armSeries('train1', 'no warmup', 1, steps(1, 66, 1, (s) => 5 - s / 100)),
    armSeries('held0', 'warmup (held out)', 0, steps(0, 50, 25, (s) => 40 + s), { dots: true }),
    armSeries('held1', 'no warmup (held out)', 1, steps(0, 50, 25, (s) => 50 + s), { dots: true }),
  ];
}

describe('which series are drawn by default', () => {
  const ten = Array.from({ length: 10 }, (_, i) => ({ key: `s${i}` }));
  it('the first five in order when none is emphasised', () => {
    expect([...defaultShown(ten)]).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });
  it('emphasised series first, then the others in order', () => {
    const marked = ten.map((s, i) => ({ ...s, emphasis: i === 7 || i === 9 }));
    expect([...defaultShown(marked)]).toEqual(['s7', 's9', 's0', 's1', 's2']);
  });
  it('all of them when there are five or fewer', () => {
    expect(defaultShown(ten.slice(0, 4)).size).toBe(4);
  });
  it("the reader's toggles win, by key, and outlive new data", () => {
    const defaults = defaultShown(ten);
    const toggles = new Map([
      ['s0', false],
      ['s8', true],
    ]);
    const shown = shownKeys(ten, defaults, toggles);
    expect([...shown].sort()).toEqual(['s1', 's2', 's3', 's4', 's8']);
    // The same keys with new points (a new array): the same lines.
    const later = ten.map((s) => ({ ...s, points: [{ step: 1, value: 1 }] }));
    expect(shownKeys(later, defaultShown(later), toggles)).toEqual(shown);
  });
});

describe('dash patterns', () => {
  it('every arm of a five-arm race has its own colour and its own dash, none of them the reference dash', () => {
    const styles = [0, 1, 2, 3, 4].map(armStyle);
    expect(new Set(styles.map((s) => s.color)).size).toBe(5);
    expect(new Set(styles.map((s) => s.dash)).size).toBe(5);
    expect(styles.map((s) => s.dash)).not.toContain(REFERENCE_DASH);
    expect(styles[0].dash).toBe(''); // the first arm is solid
    expect(armStyle(5)).toEqual(armStyle(0));
  });
  it("an arm's held-out curve keeps its arm's colour and dash and adds dots", () => {
    const [train0, , held0] = race();
    expect(held0.dash).toBe(train0.dash);
    expect(held0.color).toBe(train0.color);
    expect(held0.dots).toBe(true);
    expect(race()[1].dash).toBe(ARM_DASHES[1]);
  });
  it('an explicit dash wins over dashed; dashed is the reference dash; otherwise solid', () => {
    expect(dashOf({ dash: '2 3', dashed: true })).toBe('2 3');
    expect(dashOf({ dash: '', dashed: true })).toBeUndefined();
    expect(dashOf({ dashed: true })).toBe(REFERENCE_DASH);
    expect(dashOf({})).toBeUndefined();
  });
});

describe('the tooltip lists only values measured at the hovered step', () => {
  it('at a step without an evaluation far from one: the training values only', () => {
    const { rows, missing } = tooltipRows(race(), 66);
    expect(rows.map((r) => r.key)).toEqual(['train0', 'train1']);
    expect(rows.map((r) => r.point.value)).toEqual([4 - 0.66, 5 - 0.66]);
    expect(rows.every((r) => r.exact)).toBe(true);
    expect(missing).toEqual(['warmup (held out)', 'no warmup (held out)']);
  });
  it('at an evaluation step: both kinds, each from its own series', () => {
    const { rows } = tooltipRows(race(), 25);
    expect(rows.map((r) => [r.key, r.point.value, r.exact])).toEqual([
      ['train0', 3.75, true],
      ['train1', 4.75, true],
      ['held0', 65, true],
      ['held1', 75, true],
    ]);
  });
  it('near an evaluation (within half the series spacing): its value, at its own step', () => {
    const { rows } = tooltipRows(race(), 57);
    const held = rows.filter((r) => r.key.startsWith('held'));
    expect(held.map((r) => [r.point.step, r.point.value, r.exact])).toEqual([
      [50, 90, false],
      [50, 100, false],
    ]);
  });
  it('never borrows a value from another series', () => {
    // The old tooltip read every series at the hovered point's index: index 2 of the
    // training curve (step 3) gave the held-out series its value at index 2 (step 50).
    const { rows } = tooltipRows(race(), 3);
    const values = new Map(rows.map((r) => [r.key, r.point]));
    expect(values.get('held0')).toEqual({ step: 0, value: 40 });
    expect(values.get('train0')).toEqual({ step: 3, value: 4 - 0.03 });
  });
  it('measuredNear: exact, nearest within half the spacing, else null', () => {
    const evals = steps(0, 100, 25, (s) => s);
    expect(typicalSpacing(evals)).toBe(25);
    expect(measuredNear(evals, 75)).toEqual({ step: 75, value: 75 });
    expect(measuredNear(evals, 62)).toEqual({ step: 50, value: 50 });
    expect(measuredNear(evals, 63)).toEqual({ step: 75, value: 75 });
    expect(measuredNear(evals, 113)).toBeNull();
    expect(measuredNear(evals, -20)).toBeNull();
    expect(measuredNear([], 3)).toBeNull();
    // One point: only its own step.
    expect(measuredNear([{ step: 0, value: 1 }], 0)).toEqual({ step: 0, value: 1 });
    expect(measuredNear([{ step: 0, value: 1 }], 1)).toBeNull();
  });
  it('typicalSpacing is the median gap, so a short last gap does not shrink it', () => {
    expect(typicalSpacing([0, 25, 50, 75, 80].map((step) => ({ step, value: 0 })))).toBe(25);
    expect(typicalSpacing([{ step: 3, value: 0 }])).toBe(0);
  });
});

describe('end labels', () => {
  it('labels already apart stay where they are', () => {
    expect(spreadLabels([10, 50, 90], 16, 0, 100)).toEqual([10, 50, 90]);
  });
  it('colliding labels are pushed at least a gap apart, in the same vertical order, inside the plot', () => {
    const ys = spreadLabels([52, 50, 51, 99], 16, 0, 100);
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(16 - 1e-9);
    expect(ys[1]).toBeLessThan(ys[2]);
    expect(ys[2]).toBeLessThan(ys[0]);
    expect(Math.max(...ys)).toBeLessThanOrEqual(100);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
  });
  it('the short name, cut with an ellipsis when long', () => {
    expect(endLabelText({ label: 'SGD (held out)', short: 'SGD held out' })).toBe('SGD held out');
    expect(endLabelText({ label: 'a label far longer than any end label should be' })).toHaveLength(22);
  });
});
