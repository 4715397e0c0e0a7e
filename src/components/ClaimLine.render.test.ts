import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Claim, ClaimData } from '../core/claims';
import { ClaimLine } from './ClaimLine';

const claim: Claim = {
  id: 't',
  lookFor: 'A pulls ahead of B.',
  metric: 'total',
  metricLabel: 'held-out loss',
  better: 'lower',
  source: { kind: 'eval' },
  winner: 1,
  loser: 0,
  step: 50,
  showMargin: 0.1,
  digits: 2,
};
const labels = ['B', 'A'];

function render(evals: ClaimData['evals']): string {
  return renderToStaticMarkup(createElement(ClaimLine, { claim, labels, data: { evals, points: [] } }));
}

describe('ClaimLine', () => {
  it('says what to look for and which arms to watch before the run shows it', () => {
    const html = render([{ step: 0, arms: [{ total: 4 }, { total: 4 }] }]);
    expect(html).toContain('What to look for:</strong> A pulls ahead of B.');
    expect(html).toContain('data-state="waiting"');
    expect(html).toContain('Watch A against B (held-out loss)');
    expect(html).toContain('by step 50');
  });

  it('marks the first evaluation where the margin reaches showMargin, with both numbers', () => {
    const html = render([
      { step: 0, arms: [{ total: 4 }, { total: 4 }] },
      { step: 25, arms: [{ total: 3.2 }, { total: 3.15 }] },
      { step: 50, arms: [{ total: 3.0 }, { total: 2.7 }] },
    ]);
    expect(html).toContain('data-state="shown"');
    expect(html).toContain('✓ Shown at step 50: A 2.70, B 3.00 (held-out loss).');
  });

  it('says so when the claimed step passes without it', () => {
    const html = render([
      { step: 0, arms: [{ total: 4 }, { total: 4 }] },
      { step: 50, arms: [{ total: 3.0 }, { total: 3.05 }] },
    ]);
    expect(html).toContain('data-state="not-shown"');
    expect(html).toContain('Not shown by step 50 with these settings: A 3.05, B 3.00');
  });
});
