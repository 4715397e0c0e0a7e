import { memo } from 'react';
import { Equation, M } from '../../components/Equation';

/** The lecture's argument for decoder-only models, in the notebook's words. Static, so memoised. */
export const DecoderProse = memo(function DecoderProse() {
  return (
    <>
      <div className="prose">
        <h2 id="embeddings">Contextual embeddings</h2>
        <p>
          Every objective in this part of the notebook starts from the same object: a network that reads a sequence of{' '}
          <M>L</M> tokens from a vocabulary <M>{'\\sV'}</M> and returns one <M>d</M>-dimensional vector per position, a{' '}
          <em>contextual embedding</em>. An LSTM could play this role; here, as in modern LLMs, it is a Transformer.
        </p>
      </div>
      <Equation tex={'\\phi : \\sV^L \\to \\R^{d \\times L}'} label="phi maps L tokens to a d by L matrix" />
      <div className="prose">
        <p>
          What distinguishes decoder-only, encoder-only and encoder-decoder models is what each vector may look at and
          what it is trained to predict. A decoder-only model such as GPT-3 only lets position <M>i</M> see positions{' '}
          <M>1, \dots, i</M>, so it can generate text one token at a time.
        </p>
        <h2>The conditional distribution</h2>
        <p>
          An autoregressive language model is a family of conditional distributions <M>{'p(x_i \\mid x_{1:i-1})'}</M>,
          one for each prefix. To build one, feed the prefix through <M>\phi</M>, take the embedding at the last
          position, score every vocabulary item against it with a matrix <M>{'E \\in \\R^{V \\times d}'}</M>, and
          normalise the scores with a softmax:
        </p>
      </div>
      <Equation
        tex={'p(x_{i+1} \\mid x_{1:i}) = \\softmax\\!\\big(E\\, \\phi(x_{1:i})_i\\big)'}
        label="the next-token distribution"
      />
      <div className="prose">
        <p>
          In the model above, <M>E</M> is the same matrix that turns token ids into vectors at the input (tied
          embeddings), so a token is predicted when the last contextual embedding points in the direction of that
          token’s own embedding. The causal mask in attention is what makes <M>{'\\phi(x_{1:i})_i'}</M> depend on the
          prefix only: training all <M>L</M> positions of a sequence in one forward pass gives <M>L</M> predictions,
          each from its own prefix.
        </p>
        <h2>Maximum likelihood</h2>
        <p>
          Collect all parameters in <M>\theta</M> and the training sequences in <M>{'\\sD'}</M>. The chain rule of
          probability splits the likelihood of a sequence into its next-token predictions, so the negative
          log-likelihood to minimise is a sum over sequences and positions:
        </p>
      </div>
      <Equation
        tex={
          '\\sO(\\theta) = \\sum_{x_{1:L} \\in \\sD} -\\log p_\\theta(x_{1:L}) = \\sum_{x_{1:L} \\in \\sD} \\sum_{i=1}^{L} -\\log p_\\theta(x_i \\mid x_{1:i-1})'
        }
        label="the negative log-likelihood objective"
      />
      <div className="prose">
        <p>
          That is the whole objective. The curve above plots it per token (the mean of <M>{'-\\log p'}</M> over a
          mini-batch), so a model that guesses uniformly over <M>V</M> tokens starts near <M>{'\\log V'}</M> nats, and
          every improvement is a token the model finds less surprising. The held-out curve is the same quantity on text
          the model never trains on; when the two part, the model is memorising.
        </p>
      </div>
    </>
  );
});
