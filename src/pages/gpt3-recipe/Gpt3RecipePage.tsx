import { useCallback, useMemo, useState } from 'react';
import { Equation, M } from '../../components/Equation';
import { GptRace } from '../../components/GptRace';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { LazyMount } from '../../components/LazyMount';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { Notice } from '../../components/Notice';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import { ABLATE_KEY, parseAblations, writeAblations, type AblationId } from './ablations';
import { AblationPicker } from './AblationPicker';
import { DecayComparison, DecayEquations } from './DecayComparison';
import { SpikeChart } from './SpikeChart';
import {
  backendOf,
  CONTEXT,
  RECIPE_PARAMS,
  recipeClaim,
  recipeCrossCheck,
  toRecipeRun,
  toyOf,
  WD_PARAMS,
  wdCrossCheck,
} from './params';
import { RaceViews } from './RaceViews';
import { RecipeDrawings } from './RecipeDrawings';
import { RecipeTable } from './RecipeTable';
import { ScaleNote } from './ScaleNote';

const CLIP_TEX =
  'g \\leftarrow g \\cdot \\min\\!\\Big(1, \\frac{c}{\\lVert g \\rVert_2}\\Big), \\qquad \\lVert g \\rVert_2 = \\sqrt{\\textstyle\\sum_i g_i^2}\\ \\text{over every parameter}';
const ADAMW_TEX =
  '\\begin{aligned} m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t, & \\hat m_t &= m_t / (1 - \\beta_1^t) \\\\ v_t &= \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t^2, & \\hat v_t &= v_t / (1 - \\beta_2^t) \\\\ \\theta_t &= (1 - \\eta_t \\lambda)\\, \\theta_{t-1} - \\eta_t\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\epsilon} && \\beta_1 = 0.9,\\ \\beta_2 = 0.95,\\ \\epsilon = 10^{-8},\\ \\lambda = 0.1 \\end{aligned}';
const SCHEDULE_TEX =
  '\\eta_t = \\begin{cases} \\eta_{\\max}\\, \\frac{t + 1}{W} & t < W \\\\ \\eta_{\\min} + (\\eta_{\\max} - \\eta_{\\min})\\, \\tfrac12 \\big(1 + \\cos \\pi p\\big), \\quad p = \\min\\!\\big(1, \\frac{t - W}{D - W}\\big) & t \\ge W \\end{cases} \\qquad \\eta_{\\min} = 0.1\\, \\eta_{\\max}';
const RAMP_TEX =
  'b(\\tau) = \\min\\!\\Big(B,\\ \\Big\\lfloor b_0 + (B - b_0)\\, \\frac{\\tau}{R} \\Big\\rfloor\\Big), \\quad \\tau = \\text{tokens seen so far}';

/** GPT-3's optimisation recipe on the tiny GPT: the numbers, the curves, an ablation race and Adam + L2 against AdamW. */
export default function Gpt3RecipePage(props: PageProps) {
  const { location } = props;
  const form = useParamForm(RECIPE_PARAMS, location.query, location.replaceQuery, recipeCrossCheck);
  // The decay comparison's form lives here, so its link notices show at the top with the recipe's.
  const wdForm = useParamForm(WD_PARAMS, location.query, location.replaceQuery, wdCrossCheck);
  const v = form.values;
  // Keyed by the raw string: location.query is a new object on every render.
  const ablateRaw = location.query.get(ABLATE_KEY);
  const parsed = useMemo(() => parseAblations(ablateRaw), [ablateRaw]);
  const [ablateNotices, setAblateNotices] = useState(parsed.notices);
  const { replaceQuery } = location;
  // Written from the live URL, like useParamForm does, so the other keys survive.
  const setAblations = useCallback(
    (ids: AblationId[]) =>
      replaceQuery(writeAblations(ids, new URLSearchParams(window.location.hash.split('?')[1] ?? ''))),
    [replaceQuery],
  );
  const data = useMemo(() => corpusSource('brown'), []);
  const toy = useMemo(() => toyOf(v), [v]);
  const run = useMemo(() => toRecipeRun(v, parsed.ids, data), [v, parsed.ids, data]);
  const claim = useMemo(() => recipeClaim(run), [run]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const trainer = useTrainer(run, backendOf(v));
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>The GPT-3 recipe</h1>
        <TryThis>
          Press Train to race the full GPT-3 recipe against copies that each lack one ingredient: watch whether the copy
          without clipping spikes and falls behind, and read the gradient norms under the loss chart.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <UrlNotices form={wdForm} />
      {ablateNotices.length > 0 && (
        <Notice kind="warning" testId="ablate-notice">
          {ablateNotices.map((n) => (
            <div key={n}>{n}</div>
          ))}
          <button type="button" className="link" onClick={() => setAblateNotices([])}>
            Dismiss
          </button>
        </Notice>
      )}
      <MainDemo id="demo" title="Race the recipe against its ablations">
        <GptRace
          claim={claim}
          trainer={trainer}
          labels={labels}
          referenceArm={run.referenceArm ?? 0}
          blocked={blocked}
          title="GPT-3 recipe and its ablations"
          hyperparams={
            <div>
              <HyperparamPanel form={form} title="Recipe race" />
              <AblationPicker chosen={parsed.ids} onChange={setAblations} />
            </div>
          }
        >
          <RaceViews points={trainer.state.points} arms={run.arms} threshold={v.clip} />
        </GptRace>
      </MainDemo>
      <section aria-labelledby="recipe">
        <h2 id="recipe">1. The recipe, full size and toy size</h2>
        <div className="prose">
          <p>
            GPT-3 was not trained with one trick but with a bundle of settings that each guard against a different
            failure: Adam with a short memory for squared gradients, a cap on the gradient’s length, a rate that ramps
            up and then slowly comes down, a batch that starts small and grows, and weight decay applied directly to the
            weights. The table puts each published number beside the value this page uses for a character-level GPT that
            trains in a browser tab.
          </p>
          <p>
            A toy cannot take the token counts literally, so we keep a different invariant: the share of optimiser
            steps. GPT-3’s warmup covers a tiny share of its tokens, but it falls inside the batch ramp, where each step
            sees a small batch, so it is a much larger share of its steps; the toy warms up, ramps and decays over the
            same shares of its own run. Change the run length or the batch and every toy number follows.
          </p>
        </div>
        <RecipeTable toy={toy} lr={v.lr} clip={v.clip} weightDecay={v.wd} contextLength={CONTEXT} />
        <ScaleNote toy={toy} />
        <div className="prose">
          <p>
            <strong>Clipping.</strong> All gradients are treated as one long vector; if its length exceeds <M>c</M>, the
            whole vector is scaled down to length <M>c</M>, so the direction is kept:
          </p>
        </div>
        <Equation tex={CLIP_TEX} label="gradient clipping by global norm" />
        <div className="prose">
          <p>
            The lecture writes this as <M>{'g / \\min(1, \\lVert g \\rVert_2)'}</M>. Read literally, that divides a
            short gradient by its own norm and so stretches it to length 1, and leaves a long one alone, the opposite of
            clipping. What we implement (and what PyTorch’s <code>clip_grad_norm_</code> does, up to a tiny constant in
            the denominator) is the formula above; with <M>c = 1</M> it equals{' '}
            <M>{'g / \\max(1, \\lVert g \\rVert_2)'}</M>.
          </p>
          <p>
            Under SGD, clipping shortens the step, which is <M>{'\\eta\\, g'}</M>. Under Adam it does not, at least not
            directly. Adam divides by the running size of the gradient: if the recent gradients are all scaled down by
            the same factor, <M>{'\\hat m'}</M> and <M>{'\\sqrt{\\hat v}'}</M> shrink by that factor too and the step{' '}
            <M>{'\\eta\\, \\hat m / \\sqrt{\\hat v}'}</M> is the same. What clipping limits is how much a{' '}
            <em>single</em> outsized gradient weighs in Adam’s memory. A gradient 100 times the usual size enters{' '}
            <M>m</M> with 100 times and <M>v</M> with 10,000 times the usual weight. The inflated <M>v</M> fades by a
            factor <M>{'\\beta_2'}</M> a step, on a time scale of <M>{'1/(1 - \\beta_2)'}</M> steps (20 at{' '}
            <M>{'\\beta_2 = 0.95'}</M>, longer the bigger the spike), and until it has faded every ordinary gradient
            moves the weights far less than <M>\eta</M>; meanwhile <M>m</M> keeps pointing along the spike for about{' '}
            <M>{'1/(1 - \\beta_1) = 10'}</M> steps. Clipped to length <M>c</M>, the spike counts like any other large
            gradient.
          </p>
        </div>
        <SpikeChart />
        <div className="prose">
          <p>
            The chart runs Adam on a single parameter. Without clipping, the one large gradient makes the step at the
            spike less than half of <M>\eta</M>, and the steps after it fall to a fifth of <M>\eta</M> and below, where
            they stay for dozens of steps while <M>v</M> forgets; clipped at <M>c = 1</M>, every step stays within a few
            percent of <M>\eta</M>.
          </p>
          <p>
            <strong>AdamW.</strong> The clipped gradient feeds Adam’s two running averages; <M>{'\\beta_2 = 0.95'}</M>{' '}
            instead of the usual 0.999 makes <M>v</M> forget old gradients within about 20 steps, so a sudden rise in
            gradient size is reflected in the step size quickly. The decay shrinks the weights directly (section 4
            explains why that matters):
          </p>
        </div>
        <Equation tex={ADAMW_TEX} label="AdamW update with GPT-3's settings" />
        <div className="prose">
          <p>
            <strong>Schedule and batch.</strong> A linear warmup over <M>W</M> steps, then a cosine down to a tenth of
            the peak at step <M>D</M>, flat afterwards. The batch grows linearly with the tokens seen, from <M>b_0</M>{' '}
            to <M>B</M> over <M>R</M> tokens, in whole rows:
          </p>
        </div>
        <Equation tex={SCHEDULE_TEX} label="warmup and cosine schedule" />
        <Equation tex={RAMP_TEX} label="batch-size ramp" />
      </section>
      <section aria-labelledby="curves">
        <h2 id="curves">2. The schedule and the ramp, drawn</h2>
        <div className="prose">
          <p>
            Top: the toy’s batch rows and learning rate over its steps, for the arms of the race above. Bottom: GPT-3’s
            over its tokens. Over tokens the warmup is a sliver at the left edge and the ramp is short; over steps both
            take a visible share of the run, which is what the toy copies.
          </p>
        </div>
        <RecipeDrawings toy={toy} arms={run.arms} />
      </section>
      <section aria-labelledby="ablation">
        <h2 id="ablation">3. Switching ingredients off</h2>
        <div className="prose">
          <p>
            In the race at the top of the page, the full recipe trains next to copies that each lack one ingredient, all
            from the same initial weights and on the same batches in the same order, so a gap between two curves comes
            from that ingredient alone (the ramped arms use only the first rows of each shared batch). Under the loss
            chart: the gradient norm of every arm before clipping, the threshold, and how often each arm went over it.
          </p>
          <p>
            One ingredient shows at this size within a minute: <M>{'\\beta_2'}</M>. The first gradients are large and
            shrink quickly as the model learns the easy statistics of the text (the gradient-norm chart shows it). With
            Adam’s default <M>{'\\beta_2 = 0.999'}</M>, <M>v</M> averages the squared gradients of about the last 1,000
            steps, so for hundreds of steps it still remembers the large early ones and every step stays shorter than{' '}
            <M>\eta</M>; with GPT-3’s 0.95 it follows the gradients within about 20 steps. At the default settings the
            copy with 0.999 was behind the full recipe at step 200 in each of five seeds the notebook’s own check
            trained, with the wasm kernels’ fused multiply-add and without it, by 0.08 to 0.24 in held-out loss. With
            half the batch or twice the rate the gap was smaller than the spread between seeds.
          </p>
          <p>
            The other ingredients guard against instabilities, loss spikes and divergence, that a tiny model rarely
            meets in a short run; where nothing goes wrong a guard can cost a little speed instead (warmup spends the
            first steps below the peak rate). At this size their curves differ by about as much as the same arm does
            from one seed to the next, so read them as “no harm done”, not as a result. Clipping acts only on the steps
            above the threshold, and under Adam it changes how much those gradients weigh in <M>m</M> and <M>v</M>{' '}
            rather than how long the steps are (section 1).
          </p>
        </div>
      </section>
      <section aria-labelledby="decay">
        <h2 id="decay">4. Adam with L2 against AdamW</h2>
        <div className="prose">
          <p>
            The classic way to add weight decay is to put <M>{'\\tfrac{\\lambda}{2}\\lVert\\theta\\rVert^2'}</M> into
            the loss, which adds <M>{'\\lambda\\theta'}</M> to the gradient. With plain SGD that is the same as
            shrinking the weights. Inside Adam it is not: the extra term passes through <M>m</M> and <M>v</M> and is
            divided by <M>{'\\sqrt{\\hat v}'}</M> like the rest of the gradient. A weight whose gradients are large has
            a large <M>{'\\sqrt{\\hat v}'}</M>, so its decay is scaled down to almost nothing, while weights with tiny
            gradients are pulled towards zero at close to the full step size. Loshchilov and Hutter (“Fixing Weight
            Decay Regularization in Adam”, later “Decoupled Weight Decay Regularization”) take the decay out of the
            gradient: every weight shrinks by the same factor <M>{'1 - \\eta_t\\lambda'}</M> each step, whatever its
            gradient history. GPT-3 uses this form.
          </p>
        </div>
        <DecayEquations />
        <div className="prose">
          <p>
            Below, the two rules with the same <M>\lambda</M>, rate, betas and batches. The loss chart shows training
            and held-out loss (dots); the second chart the length of the weight matrices at each evaluation. Both decay
            the weight matrices only, as GPT codebases do, not embeddings, layer-norm gains or biases; the “Weight decay
            applies to” switch decays everything.
          </p>
          <p>
            With <M>\lambda</M> inside the gradient, the decay term dominates the gradient of every decayed weight whose
            own gradient is small, and Adam’s normalisation turns it into a step of about <M>\eta</M> towards zero, so
            Adam with L2 pulls the matrices down far faster than AdamW, whose decay shrinks every decayed weight by the
            same small factor <M>{'1 - \\eta_t\\lambda'}</M> a step. That is the mechanism this comparison shows. A fair
            race of the two would give each its own best <M>\lambda</M>. Tried at 0.001, 0.01, 0.1 and 1 (seed 1, 300
            steps), both did best at 0.01: Adam with L2 with a held-out loss of 2.52 and AdamW with 2.55, against 2.60
            with no decay at all. At <M>\lambda</M> = 0.01 over seeds 1 to 3, Adam with L2 ended below the run without
            decay in each seed (by 0.06 to 0.24) and AdamW in two of the three, while the loss without decay itself
            moved by 0.26 from one seed to the next. A run this short reads under two percent of the corpus once, so
            this is not decay preventing overfitting; decay earns its place in long runs that could overfit.
          </p>
        </div>
        <LazyMount
          name="Adam + L2 against AdamW"
          placeholder={<p className="muted">The comparison starts its models when you scroll here.</p>}
          minHeight={420}
        >
          <DecayComparison form={wdForm} />
        </LazyMount>
      </section>
    </article>
  );
}
