// The pinned lines a chart draws and the pinned runs' legend, rendered to static markup.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PinnedLegend, pinnedLines, PINNED_DASHES, type PinnedOverlay } from './PinnedRuns';
import { ARM_DASHES, armSeries } from './series';
import { REFERENCE_DASH } from './chartModel';
import { TrainerCard } from './TrainerCard';
import { usePinnedRunsContext } from './usePinnedRuns';
import { INITIAL } from '../train/client/trainerState';
import type { Trainer } from '../train/client/useTrainer';

const race = (id: string, label: string): PinnedOverlay['runs'][number] => ({
  id,
  label,
  steps: 40,
  pinnedAt: 0,
  series: [
    armSeries('train0', 'SGD', 0, [
      { step: 1, value: 4 },
      { step: 2, value: Number.NaN },
      { step: 3, value: 3.5 },
    ]),
    armSeries('train1', 'Adam', 1, [{ step: 1, value: 3.9 }]),
    armSeries('held0', 'SGD (held out)', 0, [{ step: 0, value: 4.2 }], { dots: true }),
  ],
});

const overlay = (runs: PinnedOverlay['runs']): PinnedOverlay => ({ runs, onRemove: () => {}, onClear: () => {} });

describe('pinnedLines', () => {
  it('draws, for each run not hidden, the series shown now, named by run, in its own dash and the arm colour', () => {
    const o = overlay([race('a', 'lr 0.01 → 0.003'), race('b', 'seed 1 → 2')]);
    const lines = pinnedLines(o, new Set(['train0', 'train1']), new Set(['b']));
    expect(lines.map((l) => l.key)).toEqual(['pin:a:train0', 'pin:a:train1']);
    expect(lines.map((l) => l.label)).toEqual(['lr 0.01 → 0.003: SGD', 'lr 0.01 → 0.003: Adam']);
    expect(lines[0].color).toBe(o.runs[0].series[0].color);
    expect(lines[1].color).toBe(o.runs[0].series[1].color);
    expect(lines.every((l) => l.dash === PINNED_DASHES[0])).toBe(true);
    // The NaN of a diverged step is not drawn.
    expect(lines[0].points.map((p) => p.step)).toEqual([1, 3]);
    const both = pinnedLines(o, new Set(['held0']), new Set());
    expect(both.map((l) => [l.key, l.dash, l.dots])).toEqual([
      ['pin:a:held0', PINNED_DASHES[0], true],
      ['pin:b:held0', PINNED_DASHES[1], true],
    ]);
    expect(pinnedLines(undefined, new Set(['train0']), new Set())).toEqual([]);
  });

  it('gives pinned runs dashes no arm or reference line uses, each its own', () => {
    expect(new Set(PINNED_DASHES).size).toBe(PINNED_DASHES.length);
    for (const d of PINNED_DASHES) {
      expect(ARM_DASHES).not.toContain(d);
      expect(d).not.toBe(REFERENCE_DASH);
    }
  });
});

describe('PinnedLegend', () => {
  it('has one show/hide toggle and one named remove button per run, and a Clear button', () => {
    const html = renderToStaticMarkup(
      createElement(PinnedLegend, {
        overlay: overlay([race('a', 'lr 0.01 → 0.003'), race('b', 'same settings')]),
        hidden: new Set(['b']),
        onToggle: () => {},
      }),
    );
    expect(html.match(/data-testid="pinned-run"/g)).toHaveLength(2);
    expect(html).toContain('aria-label="Remove pinned run lr 0.01 → 0.003"');
    expect(html).toContain('aria-label="Remove pinned run same settings"');
    expect(html.match(/aria-pressed="true"/g)).toHaveLength(1);
    expect(html.match(/aria-pressed="false"/g)).toHaveLength(1);
    expect(html).toContain('>Clear pinned runs</button>');
    expect(html).toContain('40 steps');
  });
});

describe('PinnedRunsContext', () => {
  it('is provided by every trainer card to what it holds (downloads and charts read the pinned runs there)', () => {
    function Probe() {
      const history = usePinnedRunsContext();
      return createElement('output', null, history ? `pinned ${history.pinned.length}` : 'none');
    }
    const trainer = { state: INITIAL, run: null } as unknown as Trainer;
    const html = renderToStaticMarkup(createElement(TrainerCard, { trainer, title: 'Tiny GPT' }, createElement(Probe)));
    expect(html).toContain('<output>pinned 0</output>');
    expect(renderToStaticMarkup(createElement(Probe))).toContain('<output>none</output>');
  });
});
