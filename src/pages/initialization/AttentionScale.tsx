import { memo, useMemo } from 'react';
import { LogChart, type XYSeries } from './LogChart';
import { formatValue } from './logAxis';
import {
  ATTENTION_DIMS,
  ATTENTION_SAMPLES,
  ATTENTION_VARIANTS,
  type AttentionRow,
  type AttentionVariant,
} from './stats';
import { useStats } from './useStats';
import { ScrollRegion } from '../../components/ScrollRegion';

const VARIANT_STYLE: Record<AttentionVariant, { label: string; color: string; dashed?: boolean }> = {
  unscaled: { label: 'W_q, W_k ~ N(0, 1/d), logits q·k', color: 'var(--series-1)' },
  scaled: { label: 'same, logits q·k / √d', color: 'var(--series-2)' },
  t5: { label: 'T5: W_q ~ N(0, 1/d²), logits q·k', color: 'var(--series-3)', dashed: true },
};

function toSeries(rows: readonly AttentionRow[]): XYSeries[] {
  return ATTENTION_VARIANTS.map((v) => ({
    key: v,
    label: VARIANT_STYLE[v].label,
    color: VARIANT_STYLE[v].color,
    dashed: VARIANT_STYLE[v].dashed,
    dots: true,
    points: rows.map((r) => ({ x: r.d, y: r.sampled[v] })),
  }));
}

/** Sampled attention-logit std over the width d, for the three ways of starting attention. */
export const AttentionScale = memo(function AttentionScale({ seed }: { seed: number }) {
  const req = useMemo(() => ({ kind: 'attention' as const, seed }), [seed]);
  const { result, busy, error } = useStats(req);
  const rows = result?.kind === 'attention' ? result.rows : null;
  const series = useMemo(() => (rows ? toSeries(rows) : []), [rows]);
  return (
    <div className="panel" data-testid="attention-scale">
      <LogChart
        series={series}
        label="Attention logit standard deviation over the width d"
        xName="d ="
        xTitle="width d"
        yTitle="std of the attention logits"
        xTicks={ATTENTION_DIMS}
        testId="attention-chart"
        caption={`Sampled over ${ATTENTION_SAMPLES} random input pairs per point, one draw of W_q and W_k (seed ${seed}, the explorer’s). Both axes logarithmic.`}
      />
      <p className="muted" aria-live="polite">
        {busy ? 'Computing…' : ''}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {rows && (
        <div>
          <ScrollRegion>
            <table className="stats-table" data-testid="attention-table">
              <caption>Logit std: sampled (closed form in brackets).</caption>
              <thead>
                <tr>
                  <th scope="col">d</th>
                  {ATTENTION_VARIANTS.map((v) => (
                    <th scope="col" key={v}>
                      {VARIANT_STYLE[v].label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.d}>
                    <th scope="row">{r.d}</th>
                    {ATTENTION_VARIANTS.map((v) => (
                      <td
                        key={v}
                        style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
                      >
                        {formatValue(r.sampled[v])} ({formatValue(r.expected[v])})
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </div>
      )}
    </div>
  );
});
