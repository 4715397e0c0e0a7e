import { memo, useMemo } from 'react';
import { M } from '../../components/Equation';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import type { ParamForm } from '../../components/useParamForm';
import type { ResidualInitScheme } from '../../core/init';
import { formatValue } from './logAxis';
import { LogChart, type XYSeries } from './LogChart';
import { toStackInput, type STACK_PARAMS } from './params';
import { equivalentSigma, summarize, type SchemeStats } from './stats';
import { useStats } from './useStats';
import { ScrollRegion } from '../../components/ScrollRegion';

/** GPT-2 small's width. */
export const GPT2_WIDTH = 768;

export const SCHEME_STYLE: Record<ResidualInitScheme, { label: string; color: string; dashed?: boolean }> = {
  xavier: { label: 'Xavier N(0, 1/fan-in)', color: 'var(--series-1)' },
  normal: { label: 'N(0, σ²)', color: 'var(--series-2)' },
  // Dashed: at small σ it lies on top of the N(0, σ²) curve, which must stay visible.
  gpt2: { label: 'GPT-2: σ, W₂ ÷ √(2L)', color: 'var(--series-3)', dashed: true },
};

function curves(stats: readonly SchemeStats[], metric: 'actRms' | 'gradNorm'): XYSeries[] {
  return stats.map((s) => ({
    key: s.scheme,
    label: SCHEME_STYLE[s.scheme].label,
    color: SCHEME_STYLE[s.scheme].color,
    dashed: SCHEME_STYLE[s.scheme].dashed,
    points: s[metric].map((y, x) => ({ x, y })),
    dots: s[metric].length <= 13,
  }));
}

/** The residual stack at initialisation, all three schemes on the same inputs, computed off the main thread. */
export const StackExplorer = memo(function StackExplorer({ form }: { form: ParamForm<typeof STACK_PARAMS> }) {
  const req = useMemo(() => ({ kind: 'stack' as const, input: toStackInput(form.values) }), [form.values]);
  const { result, busy, error } = useStats(req);
  const stats = result?.kind === 'stack' ? result.stats : null;
  const act = useMemo(() => (stats ? curves(stats, 'actRms') : []), [stats]);
  const grad = useMemo(() => (stats ? curves(stats, 'gradNorm') : []), [stats]);
  const depth = stats ? stats[0].actRms.length - 1 : null;
  const width = form.values.sdim;
  const wide = Number(equivalentSigma(0.02, GPT2_WIDTH, width).toPrecision(3));
  return (
    <div className="panel" data-testid="stack-explorer">
      <HyperparamPanel form={form} title="Residual stack" />
      <p>
        <button
          type="button"
          onClick={() => form.setDraft('sigma', String(wide))}
          disabled={form.drafts.sigma === String(wide)}
        >
          Set σ = {wide}
        </button>{' '}
        <span className="muted">
          At width {width} this gives about the per-layer growth that σ = 0.02 gives at GPT-2 small’s width {GPT2_WIDTH}
          .
        </span>
      </p>
      <p className="muted" aria-live="polite" data-testid="stack-status">
        {!form.valid
          ? `Fix the highlighted field to redraw${depth !== null ? `; showing depth ${depth}` : ''}.`
          : busy
            ? 'Computing…'
            : depth !== null
              ? `Depth ${depth}: ${form.values.samples} Gaussian inputs pushed through the same random weights under each scheme.`
              : ''}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="demo-grid two-up" data-busy={busy ? 'true' : 'false'}>
        <LogChart
          series={act}
          label="Activation RMS per layer"
          xName="layer"
          xTitle="layer l"
          yTitle="RMS of x_l"
          testId="stack-act-chart"
          data={{ depth: depth ?? 0 }}
          caption="RMS of the residual stream x_l (log scale); layer 0 is the input."
        />
        <LogChart
          series={grad}
          label="Gradient norm per layer"
          xName="layer"
          xTitle="layer l"
          yTitle="‖∂loss/∂x_l‖ per sample"
          testId="stack-grad-chart"
          data={{ depth: depth ?? 0 }}
          caption="Norm of ∂loss/∂x_l per sample (log scale); the backward pass runs from layer L down to 0."
        />
      </div>
      {stats && <SummaryTable stats={stats} />}
    </div>
  );
});

const NUM = { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

function SummaryTable({ stats }: { stats: readonly SchemeStats[] }) {
  const L = stats[0].actRms.length - 1;
  return (
    <>
      <p className="muted">
        The prediction is an expectation over the weights; one draw scatters around it, more so when the ratio is large.
      </p>
      <div>
        <ScrollRegion>
          <table className="stats-table" data-testid="stack-table">
            <caption>
              Predicted against measured, depth <M>{`L = ${L}`}</M>
            </caption>
            <thead>
              <tr>
                <th scope="col">scheme</th>
                <th scope="col">σ(W₁)</th>
                <th scope="col">σ(W₂)</th>
                <th scope="col">1 + g per layer</th>
                <th scope="col">predicted RMS ratio (1+g)^(L/2)</th>
                <th scope="col">measured x_L / x_0</th>
                <th scope="col">measured gradient ratio, layer 0 / layer L</th>
              </tr>
            </thead>
            <tbody>
              {stats.map((s) => {
                const sum = summarize(s);
                return (
                  <tr key={s.scheme}>
                    <th scope="row">{SCHEME_STYLE[s.scheme].label}</th>
                    <td style={NUM}>{formatValue(s.weightStd[0])}</td>
                    <td style={NUM}>{formatValue(s.weightStd[1])}</td>
                    <td style={NUM}>{s.expectedGrowth.toPrecision(6)}</td>
                    <td style={NUM}>{formatValue(sum.predicted)}</td>
                    <td style={NUM} data-testid={`ratio-${s.scheme}`}>
                      {formatValue(sum.actRatio)}
                    </td>
                    <td style={NUM}>{formatValue(sum.gradRatio)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      </div>
    </>
  );
}
