import { useMemo } from 'react';
import { Equation, M } from '../../components/Equation';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import './learningRates.css';
import { GptRace } from '../../components/GptRace';
import { backendOf, toWarmupRun, WARMUP_PARAMS, warmupClaim, warmupCrossCheck } from './params';
import { ScheduleEditor } from './ScheduleEditor';

/** Learning-rate schedules, and why Transformers warm up. */
export default function LearningRatesPage({ location }: PageProps) {
  const form = useParamForm(WARMUP_PARAMS, location.query, location.replaceQuery, warmupCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toWarmupRun(v, data), [v, data]);
  const claim = useMemo(() => warmupClaim(run), [run]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const trainer = useTrainer(run, backendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>Learning rates: warmup and decay</h1>
        <TryThis>
          Press Train to train the same tiny GPT with and without a learning-rate warmup: watch whether the run without
          warmup is thrown off in its first steps, and whether its held-out loss catches up with the warmed-up one.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <MainDemo id="demo" title="Train with and without warmup">
        <GptRace
          trainer={trainer}
          labels={labels}
          referenceArm={run.referenceArm ?? 0}
          claim={claim}
          blocked={blocked}
          params={form.specs}
          hyperparams={<HyperparamPanel form={form} title="Warmup experiment" />}
          title="Warmup against no warmup"
        />
      </MainDemo>
      <section aria-labelledby="schedules">
        <h2 id="schedules">1. Schedules</h2>
        <div className="prose">
          <p>
            The learning rate <M>\eta</M> is rarely constant. Normally it <strong>decreases</strong> over training:
            large steps make fast early progress, small ones let the parameters settle into a minimum instead of
            bouncing around it. Transformers add a twist: for the first steps the rate must <strong>increase</strong>, a
            linear warmup from almost 0 to the peak. The trainers in this notebook all take their rate from one
            function:
          </p>
        </div>
        <Equation
          tex={
            '\\eta_t = \\begin{cases} \\eta_{\\max}\\,\\frac{t+1}{W} & t < W \\text{ (warmup)} \\\\ \\eta_{\\min} + (\\eta_{\\max} - \\eta_{\\min})\\,\\tfrac12\\big(1 + \\cos(\\pi p)\\big) & \\text{cosine}, \\; p = \\frac{t - W}{T - W} \\\\ \\eta_{\\max} - (\\eta_{\\max} - \\eta_{\\min})\\, p & \\text{linear} \\\\ \\eta_{\\max}\\sqrt{W / (t+1)} & \\text{inverse square root} \\end{cases}'
          }
          label="the schedules"
        />
        <div className="prose">
          <p>
            with <M>{'\\eta_{\\min}'}</M> the floor as a fraction of the peak. GPT-3 warmed up linearly over its first
            375M tokens and then followed a cosine down to 10% of the peak; the original Transformer used the inverse
            square root. Edit up to three schedules and compare them.
          </p>
        </div>
        <ScheduleEditor />
      </section>
      <section aria-labelledby="warmup">
        <h2 id="warmup">2. Why warm up?</h2>
        <div className="prose">
          <p>
            Adam’s step is about <M>\eta</M> per parameter whatever the size of the gradient (with bias correction the
            first step is <M>{'\\eta \\operatorname{sign}(g_1)'}</M>, up to <M>\epsilon</M>), so nothing but the
            learning rate keeps the first updates small. And the start is when they should be small. Adam’s
            second-moment estimate <M>v</M> rests on a handful of gradients, so the per-parameter step sizes{' '}
            <M>{'\\eta / \\sqrt{\\hat v}'}</M> are still unreliable; and the first gradients are large and change fast,
            because the randomly initialised network is reorganising itself. In the original post-LN Transformer, with
            layer norm after each residual addition, the gradients of the layers near the output are large at
            initialisation (Xiong et al., 2020); moving layer norm to the start of each block (pre-LN, as in this
            notebook’s models) keeps them in range, and Xiong et al. trained such models with little or no warmup. A
            linear warmup keeps the updates small until the statistics settle.
          </p>
          <p>
            Huang et al. (2020) describe how it goes wrong without warmup in a post-LN Transformer: large, unreliable
            early Adam updates make the inputs to layer normalisation grow, the gradient through layer norm shrinks as
            its input grows, and the gradients below it vanish, a state the model may not recover from. Their T-Fixup
            initialisation, which removes layer norm and rescales the initial weights, trains without warmup, which
            supports the explanation.
          </p>
          <p>
            Warmup is not only for high learning rates. Large models train at <em>lower</em> peak rates than small ones:
            GPT-3’s 125M-parameter model peaked at <M>{'6 \\times 10^{-4}'}</M>, its 175B model at{' '}
            <M>{'0.6 \\times 10^{-4}'}</M>. They warm up all the same, because the early instability comes from the
            start of training, not from the size of the rate.
          </p>
          <p>
            At the top of the page, the same tiny GPT is trained twice in one worker, on the same batches from the same
            initialisation, with the same Adam and the same peak rate: once with a linear warmup, once starting at the
            peak. Neither arm clips its gradients, so the schedule is the only difference. Clipping would not do
            warmup’s job anyway. It shortens an SGD step, which is proportional to the gradient, but Adam divides by the
            running size of the gradient: when the gradients are scaled down by a common factor, <M>{'\\hat m'}</M> and{' '}
            <M>{'\\sqrt{\\hat v}'}</M> shrink by that factor too and the step{' '}
            <M>{'\\eta\\, \\hat m / \\sqrt{\\hat v}'}</M> stays the same; the first step is{' '}
            <M>{'\\eta \\operatorname{sign}(g_1)'}</M> with or without clipping. (What clipping does do under Adam is
            explained on the <a href={location.hrefFor('/optimization/gpt3-recipe')}>GPT-3 recipe page</a>.)
          </p>
          <p>
            At this size, warming up does not prevent a blow-up; what it changes is where the first steps land. Both
            copies soon reach a plateau near 3.1 nats per character, the loss of a model that knows little more than how
            common each character is. Started at the full rate, Adam’s first steps move every weight by about{' '}
            <M>\eta</M> whatever its gradient, and that copy stays on the plateau longer; the warmed-up copy leaves it
            first. At the default settings it was ahead at step 200 in each of the three seeds the notebook’s own check
            trains. A spike in either curve during the first steps is one batch with a rare character that the model had
            learned to rule out; it is gone the next step. Try a lower peak rate and other seeds: at this size the gap
            is not the same from run to run.
          </p>
        </div>
      </section>
    </article>
  );
}
