import { useMemo, useState } from 'react';
import { M } from '../../components/Equation';
import { GptRace } from '../../components/GptRace';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import { ArmToggles } from './ArmToggles';
import { formatValue } from './explorerInput';
import { GradientSection } from './GradientSection';
import { Intro } from './Intro';
import { LossScaling } from './LossScaling';
import { backendOf, enabledArms, mixedCrossCheck, MP_PARAMS, PANEL_KEYS, toMixedRun } from './params';
import { useArmGradients } from './useArmGradients';

/** Mixed-precision training: the FP16 format, simulated FP16 training, gradients against FP16's range, loss scaling. */
export default function MixedPrecisionPage({ location }: PageProps) {
  const form = useParamForm(MP_PARAMS, location.query, location.replaceQuery, mixedCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toMixedRun(v, data), [v, data]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const arms = useMemo(() => enabledArms(v), [v]);
  const scaled = useMemo(() => run.arms.map((a) => Boolean(a.precision?.lossScale)), [run]);
  const trainer = useTrainer(run, backendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  // Which arm's gradients to show, by key, so switching other arms on or off keeps the choice.
  const [gradKey, setGradKey] = useState('g16');
  const gradArm = Math.max(0, arms.findIndex((a) => a.key === gradKey));
  const grads = useArmGradients(trainer, gradArm);
  const lr = v.lr as number;
  const spacingsAtOne = lr / 2 ** -10;
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>Mixed-precision training</h1>
      </header>
      <UrlNotices form={form} />
      <Intro memoryHref={location.hrefFor('/optimization/memory')} />
      <section aria-labelledby="race">
        <h2 id="race">2. Training with simulated FP16</h2>
        <div className="prose">
          <p>
            The browser has no FP16 training, so the race simulates it: the arithmetic stays FP32, and values are rounded to
            the nearest FP16 number wherever real mixed precision would store them in FP16. Up to five copies of one tiny GPT
            train on the same batches from the same initialisation with the same Adam; they differ only in what is rounded:
          </p>
          <ul>
            <li><strong>FP32</strong>: nothing; the reference curve.</li>
            <li><strong>FP16 grads</strong>: gradients rounded to FP16 before the update, no loss scaling. Whatever lies at or below <M>{'2^{-25}'}</M> is lost.</li>
            <li><strong>FP16 grads + scaling</strong>: the same, with the dynamic loss scaler of section 4.</li>
            <li><strong>FP16 weights, no master</strong>: the model itself lives in FP16 and every update is added to FP16 weights.</li>
            <li><strong>Mixed precision</strong>: FP16 weights for the passes, updates into an FP32 master copy, FP16 grads, loss scaling.</li>
          </ul>
          <p>
            Why the weights need a master copy: adding an update to a weight rounds the sum to FP16, and an update smaller than
            half the FP16 spacing at that weight disappears. A layer-norm gain starts at 1.0, where the spacing is{' '}
            <M>{'2^{-10} \\approx 0.00098'}</M>. Adam’s step is about <M>{'\\eta\\, \\hat m / \\sqrt{\\hat v}'}</M>, at most
            about <M>\eta</M>. At the peak rate set here, <M>{`\\eta = ${formatValue(lr)}`}</M>, that is{' '}
            {formatValue(Number(spacingsAtOne.toPrecision(3)))} spacings
            {spacingsAtOne < 0.5
              ? ', under half of one: without a master copy the gains cannot move at all.'
              : `, so a gain moves only in steps that Adam makes at least ${formatValue(Number((0.5 / spacingsAtOne).toPrecision(2)))} of its full size; the smaller ones, common once the gradients turn noisy, are rounded away.`}{' '}
            The default rate, 0.001, was picked so that the FP32 model learns visibly in a few hundred steps while its updates
            are still close to FP16’s spacing near 1; lower it and the no-master arm loses more. The warmup’s first 20 steps
            are smaller still.
          </p>
          <p>
            Be warned that this tiny model is kind to FP16: its gradients are far larger than those of a model with billions
            of parameters, whose individual gradients are averaged over many more terms. Here few gradients may fall in the
            zero zone, so the unscaled arm may lose little. Section 3 shows how many do, measured on the live run.
          </p>
        </div>
        <GptRace
          trainer={trainer}
          labels={labels}
          blocked={blocked}
          title="FP32 against simulated FP16"
          hyperparams={
            <div>
              <ArmToggles form={form} />
              <HyperparamPanel form={form} title="Race settings" keys={PANEL_KEYS} />
            </div>
          }
        />
      </section>
      <GradientSection labels={labels} arm={gradArm} onArm={(a) => setGradKey(arms[a]?.key ?? 'g16')} grads={grads} />
      <LossScaling grads={grads} labels={labels} scaled={scaled} points={trainer.state.points} growthInterval={v.grow as number} />
    </article>
  );
}
