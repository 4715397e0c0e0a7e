import { useMemo } from 'react';
import { MetricChart } from '../../components/MetricChart';
import { armSeries } from '../../components/series';
import { adamSpikeTrace, type SpikeTraceConfig } from '../../core/spikeTrace';

/** One parameter, gradient 0.5 every step but one 100 times larger: GPT-3's betas, c = 1. */
const SPIKE: SpikeTraceConfig = { steps: 60, spikeAt: 10, base: 0.5, spike: 100, clip: 1, beta1: 0.9, beta2: 0.95 };

/** Adam's step after a single outsized gradient, with and without clipping (core's adamSpikeTrace). */
export function SpikeChart() {
  const curves = useMemo(() => {
    const t = adamSpikeTrace(SPIKE);
    const pts = (xs: number[]) => xs.map((value, k) => ({ step: k + 1, value }));
    return [
      armSeries('unclipped', 'no clipping', 1, pts(t.unclipped), { emphasis: true }),
      armSeries('clipped', `clipped at c = ${SPIKE.clip}`, 0, pts(t.clipped), { emphasis: true }),
    ];
  }, []);
  return (
    <MetricChart
      series={curves}
      label="Adam's step after one gradient spike, with and without clipping"
      xTitle="step"
      yTitle="step size / η"
      yDomain={[0, 1.1]}
      caption={`One parameter whose gradient is ${SPIKE.base} at every step except step ${SPIKE.spikeAt}, where it is ${SPIKE.spike} times larger; β₁ = ${SPIKE.beta1}, β₂ = ${SPIKE.beta2}.`}
    />
  );
}
