import { useMemo } from 'react';
import { M } from '../../components/Equation';
import { GptRace } from '../../components/GptRace';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import './mixedPrecision.css';
import { ArmToggles } from './ArmToggles';
import { GradientSection } from './GradientSection';
import { Intro } from './Intro';
import { LossScaling } from './LossScaling';
import {
  backendOf,
  enabledArms,
  mixedClaim,
  mixedCrossCheck,
  MP_PARAMS,
  PANEL_KEYS,
  toMixedRun,
  VIEW_PARAMS,
} from './params';
import { useArmGradients } from './useArmGradients';

/** Mixed-precision training: the FP16 format, simulated FP16 training, gradients against FP16's range, loss scaling. */
export default function MixedPrecisionPage({ location }: PageProps) {
  const form = useParamForm(MP_PARAMS, location.query, location.replaceQuery, mixedCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toMixedRun(v, data), [v, data]);
  const claim = useMemo(() => mixedClaim(run), [run]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const arms = useMemo(() => enabledArms(v), [v]);
  const scaled = useMemo(() => run.arms.map((a) => Boolean(a.precision?.lossScale)), [run]);
  const trainer = useTrainer(run, backendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  // Which arm's gradients to show, by key (so switching other arms on or off keeps the choice) and in the URL.
  const view = useParamForm(VIEW_PARAMS, location.query, location.replaceQuery);
  const gradKey = view.values.garm;
  const setGradKey = (key: string) => view.setDraft('garm', key);
  const gradArm = Math.max(
    0,
    arms.findIndex((a) => a.key === gradKey),
  );
  const grads = useArmGradients(trainer, gradArm);
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>Mixed-precision training</h1>
        <TryThis>
          Press Train to race FP32 against simulated FP16 training of one tiny GPT: watch the arm that rounds its
          gradients to FP16 without loss scaling against the loss-scaled arms and FP32.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <UrlNotices form={view} />
      <MainDemo id="demo" title="Race FP32 against simulated FP16">
        <GptRace
          claim={claim}
          trainer={trainer}
          labels={labels}
          referenceArm={run.referenceArm ?? 0}
          blocked={blocked}
          params={form.specs}
          title="FP32 against simulated FP16"
          hyperparams={
            <div>
              <ArmToggles form={form} />
              <HyperparamPanel form={form} title="Race settings" keys={PANEL_KEYS} />
            </div>
          }
        />
      </MainDemo>
      <Intro memoryHref={location.hrefFor('/optimization/memory')} />
      <section aria-labelledby="race">
        <h2 id="race">2. Training with simulated FP16</h2>
        <div className="prose">
          <p>
            The browser has no FP16 training, so the race at the top of the page simulates it: the arithmetic stays
            FP32, and values are rounded to the nearest FP16 number wherever real mixed precision would store them in
            FP16. Up to five copies of one tiny GPT train on the same batches from the same initialisation with the same
            Adam; they differ only in what is rounded:
          </p>
          <ul>
            <li>
              <strong>FP32</strong>: nothing; the reference curve.
            </li>
            <li>
              <strong>FP16 grads</strong>: gradients rounded to FP16 before the update, no loss scaling. Whatever lies
              at or below <M>{'2^{-25}'}</M> is lost.
            </li>
            <li>
              <strong>FP16 grads + scaling</strong>: the same, with the dynamic loss scaler of section 4.
            </li>
            <li>
              <strong>FP16 weights, no master</strong>: the model itself lives in FP16 and every update is added to FP16
              weights.
            </li>
            <li>
              <strong>Mixed precision</strong>: FP16 weights for the passes, updates into an FP32 master copy, FP16
              grads, loss scaling.
            </li>
          </ul>
          <p>
            This tiny model is kind to FP16: its gradients are far larger than those of a model with billions of
            parameters, and at its natural size almost none fall into FP16’s zero zone. So the race has a teaching
            device,{' '}
            <strong>
              shrink gradients by <M>{'2^{-k}'}</M>
            </strong>
            : every arm’s loss is multiplied by <M>{'2^{-k}'}</M>, and Adam’s <M>\epsilon</M> and the clipping threshold
            with it, which leaves FP32 training exactly as it was (Adam’s step does not change when the gradient and{' '}
            <M>\epsilon</M> shrink together). Only FP16’s fixed range notices; section 3 shows where the shrunk
            gradients sit.
          </p>
          <p>
            What to look for: with the gradients shrunk, the arm that rounds them to FP16 without loss scaling loses
            every gradient in the zero zone and falls behind once enough of them are lost; loss scaling lifts the
            gradients out of that zone, so the scaled arms can follow FP32. At <M>k = 0</M> the gradients sit far above
            the zero zone, and the arms that round only their gradients differ from FP32 by FP16’s rounding alone, a
            relative error of at most <M>{'2^{-11}'}</M>.
          </p>
          <p>
            Master weights guard against a different loss: adding an update to an FP16 weight rounds the sum, and an
            update below half the FP16 spacing at that weight vanishes (at 1.0 the spacing is <M>{'2^{-10}'}</M>).
            Adam’s steps are about <M>\eta</M> whatever the gradient, so an update survives as long as <M>\eta</M> is
            more than half the spacing at that weight: above <M>{'2^{-11}'}</M> for a weight near 1.0, and less for
            smaller weights, whose spacing is finer. SGD’s steps are <M>{'\\eta g'}</M> and can be far smaller than
            that: set the optimiser to SGD to see what the arm without a master copy loses when its updates round away.
            In a real model the gradients inside the backward pass are in FP16 too, which this simulation leaves in
            FP32, so real runs lose more.
          </p>
        </div>
      </section>
      <GradientSection labels={labels} arm={gradArm} onArm={(a) => setGradKey(arms[a]?.key ?? 'g16')} grads={grads} />
      <LossScaling
        grads={grads}
        labels={labels}
        scaled={scaled}
        points={trainer.state.points}
        growthInterval={v.grow}
      />
    </article>
  );
}
