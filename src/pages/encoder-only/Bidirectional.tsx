import { memo, useState } from 'react';
import { Equation, M } from '../../components/Equation';

const MAX_WORDS = 12;

/** Words and punctuation of a sentence, for the attention grids (display only). */
export function displayTokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}'’-]+|[^\s\p{L}\p{N}]/gu) ?? [];
}

function MaskGrid({
  tokens,
  causal,
  focus,
  onFocus,
}: {
  tokens: string[];
  causal: boolean;
  focus: number;
  onFocus(i: number): void;
}) {
  const title = causal ? 'Causal (decoder-only)' : 'Bidirectional (encoder-only)';
  return (
    <figure className="mask-grid">
      <figcaption>{title}</figcaption>
      <table aria-label={`${title}: which tokens each token may attend to`}>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">query \ key</span>
            </th>
            {tokens.map((t, j) => (
              <th scope="col" key={j} className="key">
                {t}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tokens.map((t, i) => (
            <tr key={i} className={i === focus ? 'focus' : undefined}>
              <th scope="row">
                <button type="button" className="link" onClick={() => onFocus(i)} aria-pressed={i === focus}>
                  {t}
                </button>
              </th>
              {tokens.map((_, j) => {
                const allowed = !causal || j <= i;
                return (
                  <td
                    key={j}
                    className={allowed ? 'allowed' : 'blocked'}
                    title={`${t} ${allowed ? 'sees' : 'cannot see'} ${tokens[j]}`}
                  >
                    {allowed ? '●' : ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Section 1: the lecture's step from unidirectional to bidirectional embeddings. */
export const Bidirectional = memo(function Bidirectional() {
  const [text, setText] = useState('the mouse ate the cheese');
  const all = displayTokens(text);
  const tokens = all.slice(0, MAX_WORDS);
  const [focus, setFocus] = useState(1);
  const f = Math.min(focus, Math.max(0, tokens.length - 1));
  const error = tokens.length < 2 ? 'Type at least two words.' : null;
  return (
    <section aria-labelledby="bidi">
      <h2 id="bidi">1. From unidirectional to bidirectional</h2>
      <div className="prose">
        <p>
          A GPT’s contextual embedding <M>{'\\phi(x_{1:L})_i'}</M> is computed from positions <M>1, \dots, i</M> only,
          because the same network must later generate text left to right. If we never need to generate, that
          restriction buys nothing: the embedding of <em>mouse</em> in “the mouse ate the cheese” can use{' '}
          <em>ate the cheese</em> as well. Encoder-only models drop the causal mask, so every position attends to every
          other one and the embeddings are <em>bidirectional</em>. The price: there is no longer a left-to-right
          factorisation to train with maximum likelihood, so a different objective is needed.
        </p>
      </div>
      <Equation
        tex={
          '\\text{causal: } \\phi(x_{1:L})_i = f(x_{1:i}) \\qquad \\text{bidirectional: } \\phi(x_{1:L})_i = f(x_{1:L})'
        }
        label="what position i may depend on"
      />
      <div className="panel">
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="bidi-text">Sentence</label>
          <input
            id="bidi-text"
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'bidi-error' : undefined}
            spellCheck={false}
          />
          {error && (
            <small id="bidi-error" className="field-error" role="alert">
              {error}
            </small>
          )}
          {all.length > MAX_WORDS && (
            <small className="muted">
              Showing the first {MAX_WORDS} tokens of {all.length}.
            </small>
          )}
        </div>
        {!error && (
          <>
            <div className="two-up mask-grids">
              <MaskGrid tokens={tokens} causal focus={f} onFocus={setFocus} />
              <MaskGrid tokens={tokens} causal={false} focus={f} onFocus={setFocus} />
            </div>
            <p className="muted" data-testid="bidi-summary">
              Row = the token whose embedding is computed, column = a token it may attend to.{' '}
              <strong>{tokens[f]}</strong> sees {f + 1} of {tokens.length} tokens under the causal mask and all{' '}
              {tokens.length} without it. Click a row’s word to highlight it.
            </p>
          </>
        )}
      </div>
    </section>
  );
});
