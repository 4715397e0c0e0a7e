import { memo, useMemo } from 'react';
import { GptRace } from '../../components/GptRace';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MetricChart } from '../../components/MetricChart';
import { armSeries, stepSeries } from '../../components/series';
import type { ParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import { backendOf, initClaim, toInitRun, type RACE_PARAMS } from './params';

export const RACE_TITLE = 'One tiny GPT per initialisation';

/** The four inits trained in lockstep on the same batches; losses and gradient norms overlaid. */
export const InitRace = memo(function InitRace({ form }: { form: ParamForm<typeof RACE_PARAMS> }) {
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toInitRun(v, data), [v, data]);
  const claim = useMemo(() => initClaim(run), [run]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const trainer = useTrainer(run, backendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  const { points } = trainer.state;
  const grads = useMemo(
    () =>
      labels.map((l, a) =>
        armSeries(
          `grad${a}`,
          l,
          a,
          stepSeries(points, a, 'gradNorm').filter((p) => Number.isFinite(p.value)),
        ),
      ),
    [points, labels],
  );
  return (
    <GptRace
      trainer={trainer}
      labels={labels}
      referenceArm={run.referenceArm ?? 0}
      claim={claim}
      blocked={blocked}
      params={form.specs}
      title={RACE_TITLE}
      hyperparams={<HyperparamPanel form={form} title="Init race" />}
    >
      <MetricChart
        series={grads}
        label="Gradient norm per initialisation"
        xTitle="step"
        yTitle="gradient norm ‖g‖₂ before clipping"
        caption={`Global gradient norm before clipping; steps above ${run.arms[0].clipNorm} are clipped to it.`}
        digits={2}
      />
    </GptRace>
  );
});
