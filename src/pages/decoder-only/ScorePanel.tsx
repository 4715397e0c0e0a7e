import { useEffect, useRef, useState } from 'react';
import { Equation } from '../../components/Equation';
import { TokenStrip } from '../../components/TokenStrip';
import type { TokenScore } from '../../train/protocol';
import type { Trainer } from '../../train/useTrainer';

const MAX_CHARS = 2000;
const REFRESH_MS = 2000;

export function checkSentence(text: string): string | null {
  if (text.trim() === '') return 'Type a sentence to score.';
  if (text.length > MAX_CHARS) return `Keep the sentence under ${MAX_CHARS} characters (it has ${text.length}).`;
  return null;
}

/** The user's sentence, token by token, coloured by -log p under the current model. */
export function ScorePanel({ trainer }: { trainer: Trainer }) {
  const { state } = trainer;
  const [text, setText] = useState('The mouse ate the cheese.');
  const [result, setResult] = useState<{ tokens: TokenScore[]; total: number } | null>(null);
  const step = state.points.at(-1)?.step ?? 0;
  const ready = state.phase === 'ready' || state.phase === 'running';
  const error = checkSentence(text);
  const busy = useRef(false);
  const lastAt = useRef(0);
  const scoreRef = useRef(trainer.score);
  scoreRef.current = trainer.score;
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 250);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    if (!ready || error || busy.current) return;
    const now = performance.now();
    if (state.phase === 'running' && now - lastAt.current < REFRESH_MS) return;
    busy.current = true;
    lastAt.current = now;
    scoreRef
      .current(debounced)
      .then(setResult)
      .catch(() => undefined)
      .finally(() => {
        busy.current = false;
      });
  }, [ready, state.phase, step, debounced, error, state.generation]);

  const scored = result?.tokens.filter((t) => t.nll !== null).length ?? 0;
  return (
    <section className="panel" aria-labelledby="score-title">
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
      {result && !error && (
        <>
          <TokenStrip tokens={result.tokens} scale={Math.log(Math.max(2, state.vocabSize ?? 2))} />
          <p className="muted">
            Green tokens were easy to predict, red ones surprising; the first token has no prefix and is given. Hover a token
            for its value.
          </p>
          <Equation
            tex={`\\sum_{i=2}^{${scored + 1}} -\\log p_\\theta(x_i \\mid x_{1:i-1}) = ${result.total.toFixed(2)}\\ \\text{nats}\\quad(${(result.total / Math.max(1, scored)).toFixed(3)}\\ \\text{per token})`}
            label="the objective on this sentence"
          />
          <span className="visually-hidden" data-testid="score-total">
            {result.total.toFixed(4)}
          </span>
        </>
      )}
    </section>
  );
}
