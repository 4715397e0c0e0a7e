import { useMemo } from 'react';
import { Equation } from '../../components/Equation';
import { GptRace } from '../../components/GptRace';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MetricChart } from '../../components/MetricChart';
import type { ParamForm } from '../../components/useParamForm';
import { armSeries, evalSeries } from '../../components/series';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import { decayClaim, toWdRun, WD_PARAMS, wdBackendOf } from './params';

export const L2_TEX =
  'g_t = \\nabla \\mathcal{L}(\\theta_{t-1}) + \\lambda\\,\\theta_{t-1}, \\qquad \\theta_t = \\theta_{t-1} - \\eta_t\\,\\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}';
export const ADAMW_TEX =
  'g_t = \\nabla \\mathcal{L}(\\theta_{t-1}), \\qquad \\theta_t = (1 - \\eta_t \\lambda)\\,\\theta_{t-1} - \\eta_t\\,\\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon}';

/**
 * Adam with L2 against AdamW on the tiny GPT: its own form (keys wd_*; the
 * page holds it, so a link's notices about it show at the top of the page,
 * not only when this section is scrolled to), worker and charts.
 */
export function DecayComparison({ form }: { form: ParamForm<typeof WD_PARAMS> }) {
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toWdRun(v, data), [v, data]);
  const claim = useMemo(() => decayClaim(run), [run]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const trainer = useTrainer(run, wdBackendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  const { evals } = trainer.state;
  const norms = useMemo(
    () =>
      labels.map((l, a) =>
        armSeries(
          `w${a}`,
          l,
          a,
          evalSeries(evals, a, 'matrixNorm').filter((p) => Number.isFinite(p.value)),
          { dots: true },
        ),
      ),
    [evals, labels],
  );
  return (
    <>
      <GptRace
        claim={claim}
        trainer={trainer}
        labels={labels}
        referenceArm={run.referenceArm ?? 0}
        blocked={blocked}
        params={form.specs}
        title="Adam + L2 against AdamW"
        seedKey="wd_seed"
        shortcuts={false}
        hyperparams={<HyperparamPanel form={form} title="Decay comparison" />}
      >
        <MetricChart
          series={norms}
          label="Norm of the weight matrices"
          xTitle="step"
          yTitle="‖W‖₂ of the weight matrices"
          caption="L2 norm of the attention and MLP weight matrices together (the parameters decay applies to by default), at each held-out evaluation."
          digits={1}
        />
      </GptRace>
    </>
  );
}

/** The two update rules, side by side. */
export function DecayEquations() {
  return (
    <>
      <Equation tex={`\\text{Adam + L2:}\\quad ${L2_TEX}`} label="Adam with L2 regularisation" />
      <Equation tex={`\\text{AdamW:}\\quad ${ADAMW_TEX}`} label="AdamW, decoupled weight decay" />
    </>
  );
}
