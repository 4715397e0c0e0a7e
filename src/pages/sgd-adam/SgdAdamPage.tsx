import { useMemo } from 'react';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import { useTrainer } from '../../train/client/useTrainer';
import { corpusSource } from '../corpusSource';
import type { PageProps } from '../pageProps';
import './sgdAdam.css';
import { BiasCorrection } from './BiasCorrection';
import { GptRace } from '../../components/GptRace';
import { Heatmap } from './Heatmap';
import { Moments } from './Moments';
import { backendOf, RACE_PARAMS, raceClaim, raceCrossCheck, toRaceRun } from './params';
import { SgdAdamProse } from './Prose';
import { OptimizerRace } from './race';

/** SGD and Adam: the update rules, a race on 2-D surfaces, a race on a tiny GPT, and Adam's moments live. */
export default function SgdAdamPage({ location }: PageProps) {
  const form = useParamForm(RACE_PARAMS, location.query, location.replaceQuery, raceCrossCheck);
  const v = form.values;
  const data = useMemo(() => corpusSource('brown'), []);
  const run = useMemo(() => toRaceRun(v, data), [v, data]);
  const claim = useMemo(() => raceClaim(run), [run]);
  const labels = useMemo(() => run.arms.map((a) => a.label), [run]);
  const blocked = form.valid ? null : 'Fix the highlighted hyperparameter to train.';
  const trainer = useTrainer(run, backendOf(v));
  const adam = useMemo(
    () => ({ lr: v.adam, beta1: v.b1, beta2: v.b2, eps: 1e-8, biasCorrection: v.bc === 'on' }),
    [v.adam, v.b1, v.b2, v.bc],
  );
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>SGD and Adam</h1>
        <TryThis>
          Press Train to race SGD, momentum, Adam, AdamW and AdaFactor on copies of one tiny GPT fed the same batches:
          watch Adam’s held-out loss pull ahead of plain SGD’s, each at its own learning rate.
        </TryThis>
      </header>
      <UrlNotices form={form} />
      <MainDemo id="demo" title="Five optimisers race on a tiny GPT">
        <GptRace
          trainer={trainer}
          labels={labels}
          referenceArm={run.referenceArm ?? 0}
          claim={claim}
          blocked={blocked}
          params={form.specs}
          hyperparams={<HyperparamPanel form={form} title="Race settings" />}
        />
      </MainDemo>
      <SgdAdamProse />
      <section aria-labelledby="race2d">
        <h2 id="race2d">3. A race on a 2-D loss surface</h2>
        <div className="prose">
          <p>
            On two parameters every optimiser’s path can be drawn. Pick a surface, drag the start, change the rates:
            plain SGD zig-zags across a narrow valley, momentum overshoots and settles, and Adam’s per-coordinate
            scaling heads down the valley almost at once.
          </p>
        </div>
        <OptimizerRace seed={v.seed} />
      </section>
      <section aria-labelledby="gptrace">
        <h2 id="gptrace">4. The same race on a tiny GPT</h2>
        <div className="prose">
          <p>
            The race at the top of the page: five copies of one tiny character-level GPT, same initialisation, same
            batches in the same order, one optimiser each: SGD, SGD with momentum 0.9, Adam, AdamW (decoupled weight
            decay) and AdaFactor with its relative step size. AdamW’s decay applies to the weight matrices only, not to
            embeddings, layer-norm gains or biases, as GPT codebases do; the “Weight decay applies to” switch decays
            everything. Each has its own learning rate (SGD needs a far larger one); gradients are clipped at norm 1 for
            all. There is no warmup here, so the first steps show Adam’s bias correction at work.
          </p>
          <p>
            The default rates are each optimiser’s best of a few tried: 0.2, 0.5 and 2 for SGD, 0.003, 0.01 and 0.03 for
            Adam. Even so, plain SGD trails Adam: one rate has to suit every parameter, and in a Transformer the
            gradients of embeddings, attention, MLP and layer-norm gains differ widely in size, so a rate small enough
            for the steepest is too small for the rest. Adam’s per-parameter step evens them out. Switch the tokens to
            words for a vocabulary where most words are rare: each word’s embedding gets a gradient only when the word
            appears.
          </p>
        </div>
      </section>
      <Moments points={trainer.state.points} adam={adam} />
      <section aria-labelledby="heat">
        <h2 id="heat">6. Step sizes across a matrix, and bias correction</h2>
        <Heatmap trainer={trainer} />
        <BiasCorrection beta1={v.b1} beta2={v.b2} />
      </section>
    </article>
  );
}
