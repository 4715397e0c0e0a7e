import { useEffect, useState } from 'react';
import { ofGeneration, useLiveQuery } from '../../components/useLiveQuery';
import { Equation } from '../../components/Equation';
import { TokenStrip } from '../../components/TokenStrip';
import type { Trainer } from '../../train/client/useTrainer';

const MAX_CHARS = 2000;
const REFRESH_MS = 2000;

export function checkSentence(text: string): string | null {
  if (text.trim() === '') return 'Type a sentence to score.';
  if (text.length > MAX_CHARS) return `Keep the sentence under ${MAX_CHARS} characters (it has ${text.length}).`;
  return null;
}

/** The user's sentence, token by token, coloured by -log p under the current model. */
export function ScorePanel({ trainer, words }: { trainer: Trainer; words: boolean }) {
  const { state } = trainer;
  const [text, setText] = useState('The mouse ate the cheese.');
  const step = state.points.at(-1)?.step ?? 0;
  const ready = state.phase === 'ready' || state.phase === 'running';
  const error = checkSentence(text);
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 250);
    return () => clearTimeout(t);
  }, [text]);
  const live = useLiveQuery(() => trainer.score(debounced), `${state.generation}:${step}:${debounced}`, {
    enabled: ready && checkSentence(debounced) === null,
    running: state.phase === 'running',
    intervalMs: REFRESH_MS,
  });
  // Scores from an earlier run do not describe this model.
  const { value: current, key: answered, error: failed } = ofGeneration(live, state.generation);

  const scored = current?.tokens.filter((t) => t.nll !== null).length ?? 0;
  return (
    <section className="panel" aria-labelledby="score-title" data-testid="score-panel" data-answer={answered ?? ''}>
      <h3 id="score-title">Your sentence, token by token</h3>
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor="score-text">Sentence</label>
        <textarea
          id="score-text"
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'score-text-error' : undefined}
          spellCheck={false}
        />
        {error && (
          <small id="score-text-error" className="field-error" role="alert">
            {error}
          </small>
        )}
      </div>
      {current && !error && (
        <>
          <TokenStrip words={words} tokens={current.tokens} scale={Math.log(Math.max(2, state.vocabSize ?? 2))} />
          <p className="muted">
            Green tokens were easy to predict, red ones surprising; the first token has no prefix and is given.
          </p>
          <Equation
            tex={`\\sum_{i=2}^{${scored + 1}} -\\log p_\\theta(x_i \\mid x_{1:i-1}) = ${current.total.toFixed(2)}\\ \\text{nats}`}
            label="the objective on this sentence"
          />
          <p className="muted">
            That is {(current.total / Math.max(1, scored)).toFixed(3)} nats per predicted token, over {scored}{' '}
            predictions.
          </p>
          <span className="visually-hidden" data-testid="score-total">
            {current.total.toFixed(4)}
          </span>
        </>
      )}
      {failed && !error && (
        <p className="muted" data-testid="score-error">
          No new scores: {failed}
        </p>
      )}
    </section>
  );
}
