// The memory page's AdaFactor equations typeset, and show what adafactorStep computes:
// eps1 inside the statistics and the update clipping at d, not only the rank-one estimate.
import { describe, expect, it } from 'vitest';
import { renderTex } from '../../components/Equation';
import { ADAFACTOR_DEFAULTS } from '../../core/optim/adafactor';
import { ADAFACTOR_STATS_TEX, ADAFACTOR_STEP_TEX, ADAFACTOR_UPDATE_TEX } from './Adafactor';

describe('AdaFactor TeX on the memory page', () => {
  it('typesets without a KaTeX error and keeps its backslashes', () => {
    for (const tex of [ADAFACTOR_STATS_TEX, ADAFACTOR_UPDATE_TEX, ADAFACTOR_STEP_TEX]) {
      expect(renderTex(tex, true)).not.toContain('katex-error');
      // A lost escape ('\b', '\t' in a plain string) would leave a control character behind.
      expect(tex).not.toMatch(/[\b\t\f\v]/);
    }
  });

  it('has eps1 in both statistics, the clipping, and the constants of ADAFACTOR_DEFAULTS', () => {
    expect(ADAFACTOR_STATS_TEX.match(/G_t\^2 \+ \\epsilon_1/g)).toHaveLength(2);
    expect(ADAFACTOR_UPDATE_TEX).toContain(String.raw`\max\left(1,\ \mathrm{RMS}(U_t) / d\right)`);
    expect(ADAFACTOR_UPDATE_TEX).toContain(String.raw`W_t = W_{t-1} - \alpha_t\, \hat U_t`);
    const d = ADAFACTOR_DEFAULTS;
    expect([d.eps1, d.eps2, d.clipThreshold, d.maxRelativeStep, d.decayRate]).toEqual([1e-30, 1e-3, 1, 1e-2, -0.8]);
    for (const part of [
      String.raw`\epsilon_1 = 10^{-30}`,
      String.raw`\epsilon_2 = 10^{-3}`,
      'd = 1',
      '10^{-2}',
      't^{-0.8}',
    ]) {
      expect(ADAFACTOR_STEP_TEX).toContain(part);
    }
  });
});
