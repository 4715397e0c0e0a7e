import { useMemo } from 'react';
import { Equation, M } from '../../components/Equation';
import { MainDemo, TryThis } from '../../components/MainDemo';
import { UrlNotices } from '../../components/UrlNotices';
import { useParamForm } from '../../components/useParamForm';
import type { PageProps } from '../pageProps';
import { AttentionScale } from './AttentionScale';
import { InitRace } from './InitRace';
import { formatValue } from './logAxis';
import { RACE_PARAMS, raceCrossCheck, STACK_PARAMS } from './params';
import { GPT2_WIDTH, StackExplorer } from './StackExplorer';
import { useStableForm } from './stableForm';
import { growthPerLayer, predictedRatio } from './stats';

/** Initialisation: Xavier, why deep residual stacks grow, GPT-2's and T5's extra factors, and a race. */
export default function InitializationPage({ location }: PageProps) {
  const stackForm = useStableForm(useParamForm(STACK_PARAMS, location.query, location.replaceQuery));
  const raceForm = useStableForm(useParamForm(RACE_PARAMS, location.query, location.replaceQuery, raceCrossCheck));
  const depth = stackForm.values.depth;
  const sigma = stackForm.values.sigma;
  const atWidth = useMemo(() => {
    const normal = growthPerLayer('normal', GPT2_WIDTH, depth, sigma);
    const gpt2 = growthPerLayer('gpt2', GPT2_WIDTH, depth, sigma);
    return { normal, normalRatio: predictedRatio(normal, depth), gpt2Ratio: predictedRatio(gpt2, depth) };
  }, [depth, sigma]);
  const xavierGrowth = growthPerLayer('xavier', 64, 1, sigma);
  const small = growthPerLayer('normal', 64, 1, 0.02);
  return (
    <article className="page">
      <header className="page-header">
        <p className="eyebrow">Optimization</p>
        <h1>Initialisation: keeping a deep stack in range</h1>
        <TryThis>
          Press Train to race four initialisations of the same deep, narrow GPT: watch how far apart the curves start,
          and whether GPT-2’s scaled init pulls ahead of Xavier’s in the first steps.
        </TryThis>
      </header>
      <UrlNotices form={stackForm} />
      <UrlNotices form={raceForm} />
      <MainDemo id="demo" title="Race four initialisations">
        <InitRace form={raceForm} />
      </MainDemo>

      <section aria-labelledby="xavier">
        <h2 id="xavier">1. The standard init: variance 1/fan-in</h2>
        <div className="prose">
          <p>
            Training starts from random weights, and their scale decides whether a signal survives the trip through many
            layers. Take one output of a linear layer, <M>{'y_i = \\sum_{j=1}^{n} W_{ij} x_j'}</M>, where <M>n</M> is
            the fan-in (the number of inputs). If the inputs have mean 0 and variance <M>v</M>, and the weights are
            drawn independently with mean 0 and variance <M>{'\\sigma^2'}</M>, the <M>n</M> products are uncorrelated
            and each has variance <M>{'\\sigma^2 v'}</M>. Variances of uncorrelated terms add:
          </p>
        </div>
        <Equation
          tex={
            '\\operatorname{Var}(y_i) = \\sum_{j=1}^{n} \\operatorname{Var}(W_{ij} x_j) = n\\,\\sigma^2 v, \\qquad\\text{so}\\qquad W_{ij} \\sim \\mathcal{N}\\!\\left(0, \\tfrac{1}{n}\\right) \\;\\Rightarrow\\; \\operatorname{Var}(y_i) = v.'
          }
          label="Xavier initialisation keeps the variance of a sum of n products"
        />
        <div className="prose">
          <p>
            With <M>{'\\sigma^2 = 1/n'}</M> the output has the variance of the input whatever the width: a wide layer
            does not amplify, a narrow one does not shrink. The lecture calls this Xavier initialisation. (Glorot and
            Bengio’s original averaged fan-in and fan-out; the fan-in-only version is also known as LeCun
            initialisation.) Two details matter below. A ReLU zeroes half of a symmetric input, so it halves the second
            moment. And a residual block does not replace its input, it adds to it, which is where depth comes in.
          </p>
        </div>
      </section>

      <section aria-labelledby="stack">
        <h2 id="stack">2. A deep residual stack at initialisation</h2>
        <div className="prose">
          <p>
            The explorer below pushes Gaussian inputs through <M>L</M> residual layers with no layer norm, so that only
            the init acts on the residual stream:
          </p>
        </div>
        <Equation
          tex={
            '\\begin{gathered} x_{l+1} = x_l + W_2^{(l)}\\,\\mathrm{relu}\\big(W_1^{(l)} x_l\\big), \\quad W_1 \\in \\R^{4d \\times d},\\; W_2 \\in \\R^{d \\times 4d}, \\\\[4pt] \\mathbb{E}\\,\\|x_{l+1}\\|^2 = (1 + g)\\,\\|x_l\\|^2, \\quad g = \\tfrac12\\,\\sigma_1^2 \\sigma_2^2\\, d \\cdot 4d. \\end{gathered}'
          }
          label="the residual stack and its growth per layer"
        />
        <div className="prose">
          <p>
            The branch adds a term uncorrelated with <M>x_l</M>, so mean squares add and every layer multiplies the mean
            square by <M>1 + g</M>: after <M>L</M> layers by <M>{'(1+g)^L'}</M>, a geometric growth in depth. The
            gradient flowing back, <M>{'\\partial \\text{loss} / \\partial x_l'}</M>, grows by the same factor per layer
            on its way down. What <M>g</M> is depends on the scheme:
          </p>
          <ul>
            <li>
              <strong>Xavier</strong>, <M>{'\\sigma_1^2 = 1/d'}</M> and <M>{'\\sigma_2^2 = 1/(4d)'}</M>: <M>g = 1/2</M>{' '}
              at any width (the table below gives 1 + g = {xavierGrowth.toPrecision(3)}). Each layer is well scaled on
              its own, but the sum of <M>L</M> of them is not.
            </li>
            <li>
              <strong>
                <M>{'\\mathcal{N}(0, \\sigma^2)'}</M>
              </strong>{' '}
              with a fixed <M>\sigma</M> (GPT-2 uses 0.02): <M>{'g = 2\\sigma^4 d^2'}</M> grows with the width. At width
              64 with <M>{'\\sigma = 0.02'}</M> it is only {formatValue(small - 1)}; at GPT-2 small’s width{' '}
              <M>{`d = ${GPT2_WIDTH}`}</M> with <M>{`\\sigma = ${sigma}`}</M> it is {formatValue(atWidth.normal - 1)},
              and over <M>{`L = ${depth}`}</M> layers the expected RMS grows {formatValue(atWidth.normalRatio)}-fold.
            </li>
            <li>
              <strong>GPT-2</strong> multiplies the weights that write into the residual stream by{' '}
              <M>{'1/\\sqrt{N}'}</M>, with <M>N</M> the number of residual layers. A transformer block writes twice
              (attention and MLP), so common implementations (nanoGPT, Hugging Face’s GPT-2, this notebook’s models) use{' '}
              <M>N = 2L</M> for <M>L</M> blocks; the explorer keeps that <M>{'1/\\sqrt{2L}'}</M> although its layers
              write once. Then <M>g</M> shrinks to <M>{'g/(2L)'}</M> and <M>{'(1 + g/(2L))^L \\to e^{g/2}'}</M> stays
              bounded however deep the stack: at <M>{`d = ${GPT2_WIDTH}`}</M> and <M>{`L = ${depth}`}</M> the expected
              RMS ratio is {formatValue(atWidth.gpt2Ratio)}.
            </li>
          </ul>
          <p>
            Change the depth and watch the Xavier curves: straight lines on the log axis, the mark of geometric growth.
            At width 64 the <M>{'\\sigma = 0.02'}</M> curves hardly move, because <M>g</M> is small there. The button
            under the fields raises <M>\sigma</M> until the narrow stack grows per layer as GPT-2 small’s would; then
            compare the plain <M>{'\\mathcal{N}(0, \\sigma^2)'}</M> curve with GPT-2’s, which shares its <M>\sigma</M>{' '}
            but divides the output weights by <M>{'\\sqrt{2L}'}</M>. The numbers are one random draw per scheme (same
            inputs, same seed), so they scatter around the prediction.
          </p>
        </div>
        <StackExplorer form={stackForm} />
      </section>

      <section aria-labelledby="t5">
        <h2 id="t5">3. T5: the 1/√d of attention, moved into the init</h2>
        <div className="prose">
          <p>
            Attention compares a query and a key with a dot product. If their <M>{'d_k'}</M> entries each have variance
            1, the dot product sums <M>{'d_k'}</M> uncorrelated unit-variance products, so its standard deviation is{' '}
            <M>{'\\sqrt{d_k}'}</M>: wide heads give large logits, and a softmax over large logits puts almost all weight
            on one position, with tiny gradients for the rest. Scaled dot-product attention divides by{' '}
            <M>{'\\sqrt{d_k}'}</M> to bring the logits back to unit spread.
          </p>
          <p>
            T5 never divides. Its Mesh TensorFlow code (attention.py, the weight initialisation of the attention layer)
            instead draws the query projection with an extra <M>{'1/\\sqrt{d_k}'}</M>: that is the lecture’s “additional{' '}
            <M>{'1/\\sqrt{d}'}</M>” on the attention matrices.
          </p>
        </div>
        <Equation
          tex={
            '\\begin{aligned} &\\text{standard: } \\frac{q^\\top k}{\\sqrt{d_k}},\\; W_q, W_k \\sim \\mathcal{N}\\!\\left(0, \\tfrac{1}{d}\\right) \\\\ &\\text{T5: } q^\\top k,\\; W_q \\sim \\mathcal{N}\\!\\left(0, \\tfrac{1}{d\\, d_k}\\right),\\; W_k \\sim \\mathcal{N}\\!\\left(0, \\tfrac{1}{d}\\right) \\\\ &\\operatorname{std}(\\text{logit}) = 1 \\text{ in both} \\end{aligned}'
          }
          label="standard attention scaling and T5's folded initialisation"
        />
        <div className="prose">
          <p>
            At initialisation the two give the same logits: in the figure the T5 curve lies on the scaled one (same
            seed, the same random draws rescaled), while the unscaled logits grow like <M>{'\\sqrt{d}'}</M>. They differ
            in parameterisation: in T5 the factor is part of <M>{'W_q'}</M>, so an optimiser step of a given size on{' '}
            <M>{'W_q'}</M> moves the logits by a different amount than in the standard layout. The figure uses one head
            with <M>{'d_k = d'}</M>.
          </p>
        </div>
        <AttentionScale seed={stackForm.values.sseed} />
      </section>

      <section aria-labelledby="race">
        <h2 id="race">4. Training from each initialisation</h2>
        <div className="prose">
          <p>
            At the top of the page, four copies of the same tiny GPT train in one worker on the same batches with the
            same Adam (a 20-step warmup, clipping at gradient norm 1). Only the initial weights differ: Xavier
            everywhere; <M>{'\\mathcal{N}(0, 0.02^2)'}</M> everywhere; GPT-2’s (the same, with the attention and MLP
            output projections divided by <M>{'\\sqrt{2L}'}</M>); and T5’s (Xavier, with the query projection divided by{' '}
            <M>{'\\sqrt{d_{\\text{head}}}'}</M> and the logits left unscaled). The trainer’s loss readout is the GPT-2
            arm’s.
          </p>
          <p>
            What to compare: the dots at step 0 (each untrained model’s held-out loss), how quickly each curve falls in
            the first tens of steps, whether any curve is noisy or stalls, and the gradient norms, which show which arms
            start with large gradients and so are being clipped. Keep in mind that, unlike the explorer’s stack, this
            model normalises each block’s input with layer norm, which damps the depth effects of section 2; the more
            layers, the more room they have to show. Try a few seeds before reading anything into a gap.
          </p>
          <p>
            At step 0 the embedding scale shows: the output layer reuses the token embeddings, so an init with larger
            embedding weights makes sharper, mostly wrong guesses before any training, and its loss starts further above
            the <M>{'\\log V'}</M> of a uniform guess. Whether the curves stay apart after that, or meet, is what the
            race is for.
          </p>
          <p>
            At the default 24 layers of width 32, GPT-2’s init is ahead of Xavier’s at step 50 in each of the three
            seeds the notebook’s own check trains: with <M>{'\\mathcal{N}(0, 1/n)'}</M> every block adds a large update
            to the residual stream, and layer norm at each block’s input hides the growth from the next block but not
            from the sum. Later the gap narrows, as Adam brings each arm’s weights to a working scale; how soon depends
            on the seed.
          </p>
        </div>
      </section>
    </article>
  );
}
