import { memo } from 'react';
import { Equation, M } from '../../components/Equation';

const TABLE = ['name', ':', 'Clowns', '|', 'eatType', ':', 'coffee', 'shop'];
const TEXT = ['Clowns', 'is', 'a', 'coffee', 'shop'];

/** Section 1: what an encoder-decoder computes, on the lecture's table-to-text example. */
export const TaskShape = memo(function TaskShape() {
  return (
    <section aria-labelledby="shape">
      <h2 id="shape">1. Encode both ways, decode left to right</h2>
      <div className="prose">
        <p>Some tasks map one sequence to another, as in the lecture’s table-to-text example:</p>
      </div>
      <Equation
        tex={
          '[\\nl{name}, \\nl{:}, \\nl{Clowns}, \\nl{|}, \\nl{eatType}, \\nl{:}, \\nl{coffee}, \\nl{shop}] \\Rightarrow [\\nl{Clowns}, \\nl{is}, \\nl{a}, \\nl{coffee}, \\nl{shop}]'
        }
      />
      <div className="prose">
        <p>
          An encoder-decoder model gets the best of the two previous sections. The <em>encoder</em> reads the input{' '}
          <M>{'x_{1:L}'}</M> like BERT, every position seeing every other. The <em>decoder</em> writes the output{' '}
          <M>{'y_{1:T}'}</M> like GPT, one token at a time, each step attending causally to what it has written and,
          through cross-attention, to all of the encoder’s embeddings:
        </p>
      </div>
      <Equation
        tex={
          'p(y_{1:T} \\mid x_{1:L}) = \\prod_{t=1}^{T} p\\big(y_t \\mid y_{1:t-1},\\, \\phi_{\\text{enc}}(x_{1:L})\\big), \\qquad \\sO(\\theta) = \\sum_{(x, y) \\in \\sD} \\sum_{t=1}^{T} -\\log p_\\theta(y_t \\mid y_{1:t-1}, x_{1:L})'
        }
      />
      <div className="panel shape-diagram" aria-label="encoder-decoder diagram">
        <div>
          <h3>Encoder (bidirectional)</h3>
          <div className="mask-row">
            {TABLE.map((w, i) => (
              <span key={i} className="bert-token seg-A">
                {w}
              </span>
            ))}
          </div>
        </div>
        <div className="shape-arrow" aria-hidden="true">
          ⇣ cross-attention ⇣
        </div>
        <div>
          <h3>Decoder (causal, one token at a time)</h3>
          <div className="mask-row">
            <span className="bert-token">&lt;s&gt;</span>
            {TEXT.map((w, i) => (
              <span key={i} className="bert-token seg-B">
                {w}
              </span>
            ))}
          </div>
        </div>
      </div>
      <div className="prose">
        <p>
          Pre-training needs (input, output) pairs without labels. Both BART and T5 make them from plain text: corrupt a
          passage with a noising function <M>{'A(\\tilde x_{1:L} \\mid x_{1:L})'}</M> and train the model to produce the
          original, or the part of it that was removed. What differs is the noising.
        </p>
      </div>
    </section>
  );
});
