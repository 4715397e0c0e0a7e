import { describe, expect, it } from 'vitest';
import {
  chartFrame,
  dashOf,
  DEFAULT_CHART_TEXT,
  defaultShown,
  endLabelText,
  fitText,
  measuredNear,
  MIN_FRAME,
  placeEndLabels,
  REFERENCE_DASH,
  shownKeys,
  spreadLabels,
  textWidth,
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
    armSeries(
      'train0',
      'warmup',
      0,
      steps(1, 66, 1, (s) => 4 - s / 100),
    ),
    armSeries(
      'train1',
      'no warmup',
      1,
      steps(1, 66, 1, (s) => 5 - s / 100),
    ),
    armSeries(
      'held0',
      'warmup (held out)',
      0,
      steps(0, 50, 25, (s) => 40 + s),
      { dots: true },
    ),
    armSeries(
      'held1',
      'no warmup (held out)',
      1,
      steps(0, 50, 25, (s) => 50 + s),
      { dots: true },
    ),
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

describe('end labels follow their font size', () => {
  const plot = { left: 72, top: 24, width: 600, height: 400 };
  const bottom = plot.top + plot.height;
  // Four lines ending at the same point near the plot's bottom right corner, and one at its left edge.
  const crowd = ['warmup over 100 steps', 'no warmup', 'warmup held out', 'no warmup held out'].map((text, i) => ({
    text,
    x: 672,
    y: bottom - 2,
    bold: i < 2,
  }));
  for (const px of [12, 15, 24]) {
    it(`at ${px} px: a line height apart, inside the plot, clear of the y axis`, () => {
      const places = placeEndLabels([...crowd, { text: 'SGD + momentum', x: plot.left + 5, y: 200 }], plot, px);
      const ys = places.map((p) => p.y).sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(1.2 * px);
      places.forEach((p, i) => {
        const bold = i < 2;
        expect(p.x).toBeLessThanOrEqual(plot.left + plot.width);
        expect(p.x - textWidth(p.text, px, bold)).toBeGreaterThanOrEqual(plot.left);
        expect(p.y - 0.9 * px).toBeGreaterThanOrEqual(plot.top);
        expect(p.y + 0.2 * px).toBeLessThanOrEqual(bottom);
      });
    });
  }
  it('the 12 px layout is the one drawn before: 16 px apart, 3 px left of the point and 5 px above it', () => {
    const [p] = placeEndLabels([{ text: 'Adam', x: 400, y: 200 }], plot, 12);
    expect(p).toEqual({ text: 'Adam', x: 397, y: 195.2 });
    const ys = placeEndLabels(
      [
        { text: 'a', x: 400, y: 200 },
        { text: 'b', x: 400, y: 200 },
      ],
      plot,
      12,
    ).map((q) => q.y);
    expect(Math.abs(ys[0] - ys[1])).toBe(16);
  });
  it('a name wider than the plot is shortened to fit, with an ellipsis', () => {
    const narrow = { left: 40, top: 20, width: 150, height: 200 };
    const [p] = placeEndLabels([{ text: 'warmup over 100 steps (held out)', x: 190, y: 100 }], narrow, 24);
    expect(p.text).toMatch(/…$/);
    expect(p.x - textWidth(p.text, 24)).toBeGreaterThanOrEqual(narrow.left);
    expect(fitText('Adam', 200, 24)).toBe('Adam');
  });
  it("widths measured in the label's own font, where given, place and cut the labels", () => {
    // A font whose characters are all 0.8 em wide, wider than the estimate.
    const wide = (text: string, px: number) => text.length * px * 0.8;
    const [p] = placeEndLabels(
      [{ text: 'no warmup held out', x: 100, y: 100 }],
      { left: 40, top: 20, width: 300, height: 200 },
      24,
      wide,
    );
    expect(wide(p.text, 24)).toBeLessThanOrEqual(300);
    expect(p.text).toBe('no warmup held…');
    expect(p.x - wide(p.text, 24)).toBeGreaterThanOrEqual(40);
  });
});

describe('the room around the plot follows the text', () => {
  it('at the default sizes it is the fixed frame the charts had', () => {
    expect(chartFrame(DEFAULT_CHART_TEXT, ['0.00', '2.00', '4.00', '10.00'], ['0', '100', '200', '300'])).toEqual(
      MIN_FRAME,
    );
  });
  it('24 px text: a taller top margin for the y title, a wider y axis for long ticks, a taller x axis', () => {
    const big = { tick: 24, title: 24, endLabel: 24 };
    const f = chartFrame(big, ['0.0000', '0.0005', '0.0010'], ['0', '1000']);
    // The y title's baseline sits 17 px above the plot: its top (about 0.95 em above that) stays inside the box.
    expect(f.top).toBeGreaterThanOrEqual(17 + 0.95 * 24);
    // Six characters of about 0.6 em each, the tick line and gaps.
    expect(f.yAxisWidth).toBeGreaterThanOrEqual(6 * 0.6 * 24 + 16);
    expect(f.xAxisHeight).toBeGreaterThan(MIN_FRAME.xAxisHeight);
    // Half of '1000', centred on the plot's right edge.
    expect(f.right).toBeGreaterThanOrEqual(2 * 0.6 * 24);
    // More decimals, a wider axis.
    expect(chartFrame(big, ['0.00001'], ['0']).yAxisWidth).toBeGreaterThan(chartFrame(big, ['0.01'], ['0']).yAxisWidth);
  });
});
