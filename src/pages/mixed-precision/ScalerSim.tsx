import { TextField } from '../../components/TextField';
import { useMemo, useState } from 'react';
import { MetricChart, type Series } from '../../components/MetricChart';
import { LOSS_SCALE_DEFAULTS } from '../../core';
import { FP16_OVERFLOW, parseSimFields, SIM_FIELDS, simulateScaler, spikyMaxGrad, type SimKey } from './scalerSim';

const STEPS = 300;
const INITIAL: Record<SimKey, string> = { k: '-4', init: '15', n: '20', every: '70', spike: '3' };

/** The dynamic rule on a made-up gradient (no training): core's lossScaleUpdate, step by step. */
export function ScalerSim() {
  const [raw, setRaw] = useState(INITIAL);
  const { values, errors } = parseSimFields(raw);
  const key = JSON.stringify(values);
  const result = useMemo(() => {
    if (!values) return null;
    const cfg = { ...LOSS_SCALE_DEFAULTS, initScale: 2 ** values.init, growthInterval: values.n };
    const run = simulateScaler(STEPS, spikyMaxGrad(values.k, values.every, values.spike), cfg);
    const series: Series[] = [
      {
        key: 'scale',
        label: 'log₂ S',
        color: 'var(--series-1)',
        points: run.map((r) => ({ step: r.step, value: Math.log2(r.scale) })),
      },
      {
        key: 'ceiling',
        label: 'log₂ of the largest safe S, between spikes',
        color: 'var(--error)',
        dashed: true,
        points: [0, STEPS - 1].map((step) => ({ step, value: Math.log2(FP16_OVERFLOW) - values.k })),
      },
    ];
    return { series, skipped: run.filter((r) => r.skipped).map((r) => r.step) };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the parsed values: a new object with the same key is the same input
  }, [key]);
  return (
    <div className="panel" data-testid="scaler-sim">
      <h3>The rule without a model</h3>
      <div className="hyperparam-grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(10rem, 1fr))' }}>
        {SIM_FIELDS.map(([k, label]) => (
          <TextField
            key={k}
            id={`sim-${k}`}
            label={label}
            inputMode="numeric"
            value={raw[k]}
            error={errors[k]}
            onChange={(value) => setRaw((r) => ({ ...r, [k]: value }))}
          />
        ))}
      </div>
      {result ? (
        <>
          <MetricChart
            series={result.series}
            label="Loss scale of the offline scaler, log2"
            xTitle="step"
            yTitle="log₂ of the loss scale S"
            caption={`${STEPS} steps; a step overflows when S × largest gradient ≥ 65520.`}
          />
          <p className="muted" data-testid="scaler-sim-skips">
            {result.skipped.length} of {STEPS} steps skipped
            {result.skipped.length > 0 && ` (first at step ${result.skipped[0]})`}.
          </p>
        </>
      ) : (
        <p className="muted">Fix the highlighted field to draw the scale.</p>
      )}
    </div>
  );
}
