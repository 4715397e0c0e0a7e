import { memo, useMemo, useState } from 'react';
import { Equation, M } from '../../components/Equation';
import { HyperparamPanel } from '../../components/HyperparamPanel';
import type { ParamForm } from '../../components/useParamForm';
import { bertMask, makeRng, seedFor, type BertMaskKind } from '../../core';
import { displayTokens } from './Bidirectional';
import { maskDemoVocab } from './maskDemoVocab';
import { MaskSampler } from './MaskSampler';
import type { ENCODER_PARAMS } from './params';

const KIND_TEXT: Record<BertMaskKind, string> = {
  mask: '[MASK] (80%)',
  random: 'random word (10%)',
  keep: 'unchanged (10%)',
};

/** Section 3: the masking function A on the user's sentence, and its statistics. */
export const MaskingFunction = memo(function MaskingFunction({
  form,
  seed,
}: {
  form: ParamForm<typeof ENCODER_PARAMS>;
  seed: number;
}) {
  const [text, setText] = useState('the mouse ate the cheese and the cat ate the mouse in the park');
  const [draw, setDraw] = useState(0);
  const tokens = useMemo(() => displayTokens(text).slice(0, 64), [text]);
  const vocab = useMemo(() => maskDemoVocab(tokens), [tokens]);
  const v = form.values;
  const selectRate = v.sel;
  const maskProb = v.mask;
  const randomProb = v.rand;
  const rates = useMemo(() => ({ selectRate, maskProb, randomProb }), [selectRate, maskProb, randomProb]);
  const result = useMemo(
    () =>
      tokens.length === 0
        ? null
        : bertMask(vocab.ids, {
            maskId: vocab.maskId,
            vocabSize: vocab.words.length,
            rng: makeRng(seedFor(seed, 'maskDraw', draw)),
            ...rates,
          }),
    [tokens, vocab, seed, draw, rates],
  );
  const error = tokens.length === 0 ? 'Type a sentence to mask.' : null;
  const keepPct = Math.round((1 - rates.maskProb - rates.randomProb) * 100);
  return (
    <section aria-labelledby="masking">
      <h2 id="masking">3. Masked language modelling and the masking function</h2>
      <div className="prose">
        <p>The masked language model turns pre-training into a fill-in-the-blanks exercise, the lecture’s</p>
      </div>
      <Equation
        tex={
          '[\\nl{the}, \\nl{[MASK]}, \\nl{ate}, \\nl{[MASK]}, \\nl{cheese}] \\Rightarrow [\\nl{the}, \\nl{mouse}, \\nl{ate}, \\nl{the}, \\nl{cheese}]'
        }
      />
      <div className="prose">
        <p>
          It is a denoising autoencoder: a noising function <M>A</M> corrupts the sequence <M>{'x_{1:L}'}</M> into{' '}
          <M>{'\\tilde x_{1:L}'}</M>, and the model reconstructs the original, predicting each selected token on its own
          from the contextual embedding at its position:
        </p>
      </div>
      <Equation
        tex={
          'p(x_i \\mid \\tilde x_{1:L}) = \\softmax\\!\\big(E\\, \\phi(\\tilde x_{1:L})_i\\big), \\qquad x_{1:L} \\overset{A}{\\Rightarrow} \\tilde x_{1:L}'
        }
      />
      <div className="prose">
        <p>
          <M>A</M> picks a random set <M>I</M> of 15% of the positions. Each <M>{'i \\in I'}</M> then becomes{' '}
          <code>[MASK]</code> with probability 0.8, stays <M>x_i</M> with probability 0.1, and becomes a random word
          from <M>{'\\sV'}</M> with probability 0.1. The loss is taken at the positions in <M>I</M> only. Change the
          rates here and every model on this page trains with them.
        </p>
      </div>
      <div className="panel">
        <HyperparamPanel form={form} keys={['sel', 'mask', 'rand']} title="The masking function’s rates" />
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="mask-text">Sentence</label>
          <input
            id="mask-text"
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'mask-text-error' : undefined}
          />
          {error && (
            <small id="mask-text-error" className="field-error" role="alert">
              {error}
            </small>
          )}
        </div>
        {result && (
          <>
            <div className="mask-rows" data-testid="mask-result">
              <div className="mask-row" aria-label="original">
                <span className="row-label">x</span>
                {tokens.map((t, i) => (
                  <span key={i} className={`bert-token${result.kinds[i] ? ` kind-${result.kinds[i]}` : ''}`}>
                    {t}
                  </span>
                ))}
              </div>
              <div className="mask-row" aria-label="noised">
                <span className="row-label">x̃</span>
                {result.input.map((id, i) => (
                  <span
                    key={i}
                    className={`bert-token${result.kinds[i] ? ` kind-${result.kinds[i]}` : ''}`}
                    data-kind={result.kinds[i] ?? 'none'}
                    title={result.kinds[i] ? `selected: ${KIND_TEXT[result.kinds[i]!]}` : 'not selected: no loss here'}
                  >
                    {vocab.words[id]}
                  </span>
                ))}
              </div>
            </div>
            <p className="legend-row">
              <span className="bert-token kind-mask">[MASK]</span> became [MASK] ({Math.round(rates.maskProb * 100)}%){' '}
              <span className="bert-token kind-random">word</span> became a random word (
              {Math.round(rates.randomProb * 100)}%) <span className="bert-token kind-keep">word</span> selected but
              unchanged ({keepPct}%); the rest are not selected and carry no loss.
            </p>
            <p className="muted" data-testid="mask-counts">
              {result.kinds.filter(Boolean).length} of {tokens.length} positions selected;{' '}
              {result.kinds.filter((k) => k === 'mask').length} masked,{' '}
              {result.kinds.filter((k) => k === 'random').length} random,{' '}
              {result.kinds.filter((k) => k === 'keep').length} unchanged. Random words come from a vocabulary of{' '}
              {vocab.words.length - 1} words (the lecture’s toy sentences and yours).
            </p>
            <button type="button" onClick={() => setDraw((d) => d + 1)}>
              Mask again (new draw)
            </button>
          </>
        )}
        {result && <MaskSampler vocab={vocab} rates={rates} seed={seed} />}
      </div>
    </section>
  );
});
