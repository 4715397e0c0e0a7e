import { useMemo } from 'react';
import { Equation, M } from '../../components/Equation';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import { GptRace } from '../../components/GptRace';
import { backendOf, toWarmupRun, WARMUP_PARAMS, warmupCrossCheck } from './params';
import { ScheduleEditor } from './ScheduleEditor';


/** Learning-rate schedules, and why Transformers warm up. */
export default function LearningRatesPage({ location }: PageProps) {
  const form = useParamForm(WARMUP_PARAMS, location.query, location.replaceQuery, warmupCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toWarmupRun(v, data), [v, data]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const trainer = useTrainer(run, backendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>Learning rates: warmup and decay</h1>
      </header>
      <UrlNotices form={form} />
      <section aria-labelledby="schedules">
        <h2 id="schedules">1. Schedules</h2>
        <div className="prose">
          <p>
            The learning rate <M>\eta</M> is rarely constant. Normally it <strong>decreases</strong> over training: large
            steps make fast early progress, small ones let the parameters settle into a minimum instead of bouncing around
            it. Transformers add a twist: for the first steps the rate must <strong>increase</strong>, a linear warmup from
            almost 0 to the peak. The trainers in this notebook all take their rate from one function:
          </p>
        </div>
        <Equation
          tex={'\\eta_t = \\begin{cases} \\eta_{\\max}\\,\\frac{t+1}{W} & t < W \\text{ (warmup)} \\\\ \\eta_{\\min} + (\\eta_{\\max} - \\eta_{\\min})\\,\\tfrac12\\big(1 + \\cos(\\pi p)\\big) & \\text{cosine}, \\; p = \\frac{t - W}{T - W} \\\\ \\eta_{\\max} - (\\eta_{\\max} - \\eta_{\\min})\\, p & \\text{linear} \\\\ \\eta_{\\max}\\sqrt{W / (t+1)} & \\text{inverse square root} \\end{cases}'}
          label="the schedules"
        />
        <div className="prose">
          <p>
            with <M>{'\\eta_{\\min}'}</M> the floor as a fraction of the peak. GPT-3 warmed up linearly over its first 375M
            tokens and then followed a cosine down to 10% of the peak; the original Transformer used the inverse square
            root. Edit up to three schedules and compare them.
          </p>
        </div>
        <ScheduleEditor />
      </section>
      <section aria-labelledby="warmup">
        <h2 id="warmup">2. Why warm up?</h2>
        <div className="prose">
          <p>
            At the start of training Adam’s second-moment estimate <M>v</M> rests on a handful of gradients, so the
            per-parameter step sizes <M>{'\\eta / \\sqrt{\\hat v}'}</M> are unreliable exactly when the gradients are
            largest and change fastest. Huang et al. (2020) point at an interaction with layer normalisation: gradients
            that vanish through layer norm in the early phase make Adam’s updates unstable, and a small rate while the
            statistics form keeps the model out of regions it cannot recover from. (Their T-Fixup initialisation removes
            the need for warmup, which supports the explanation.)
          </p>
          <p>
            Below, the same tiny GPT is trained twice in one worker, on the same batches from the same initialisation, with
            the same Adam and the same peak rate: once with a linear warmup, once starting at the peak. No gradient clipping,
            which would hide the effect. Measured on this notebook’s machine (wasm, default settings): at the peak rate 0.05
            the run without warmup stalled near 3.0 nats per character while the warmed-up one reached 2.76 by step 250. At
            0.01 there was no such gap: starting at full speed was even ahead for the first 300 steps. Warmup matters when the
            rate is high, which is where large models are trained.
          </p>
        </div>
        <GptRace trainer={trainer} labels={labels} blocked={blocked} hyperparams={<HyperparamPanel form={form} title="Warmup experiment" />} title="Warmup against no warmup" />
      </section>
    </article>
  );
}
