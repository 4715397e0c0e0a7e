import { TextField } from '../../components/TextField';
import { memo, useEffect, useState } from 'react';
import { M } from '../../components/Equation';
import { ofGeneration, useLiveQuery } from '../../components/useLiveQuery';
import type { FillPrediction } from '../../train/contract';

const REFRESH_MS = 1500;
const MAX_CHARS = 500;

export type FillQuery = (
  text: string,
) => Promise<{ tokens: string[]; predictions: FillPrediction[]; error: string | null }>;

export function checkBlank(text: string): string | null {
  if (text.trim() === '') return 'Type a sentence with [MASK] where a word is missing.';
  if (text.length > MAX_CHARS) return `Keep it under ${MAX_CHARS} characters (it has ${text.length}).`;
  if (!/\[mask\]/i.test(text)) return 'Write [MASK] where the model should guess a word.';
  return null;
}

/** Section 7: the model being trained fills in the user's blanks. */
export const FillBlank = memo(function FillBlank({
  fill,
  ready,
  running,
  generation,
  step,
}: {
  fill: FillQuery;
  ready: boolean;
  running: boolean;
  generation: number;
  step: number;
}) {
  const [text, setText] = useState('The man went to the [MASK] and bought a [MASK] of milk.');
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 250);
    return () => clearTimeout(t);
  }, [text]);
  const error = checkBlank(text);
  const live = useLiveQuery(() => fill(debounced), `${generation}:${step}:${debounced}`, {
    enabled: ready && checkBlank(debounced) === null,
    running,
    intervalMs: REFRESH_MS,
  });
  const { value: current, key: answered, error: failed } = ofGeneration(live, generation);
  const shownError = error ?? current?.error ?? null;
  return (
    <section aria-labelledby="fill">
      <h2 id="fill">7. Fill in the blank</h2>
      <div className="prose">
        <p>
          The MLM head is a fill-in-the-blank machine. Type a sentence with one or more <code>[MASK]</code>s; the model
          from section 6 shows its five most likely words at each, with <M>{'p(x_i \\mid \\tilde x_{1:L})'}</M>,
          refreshed as it trains. Untrained, it spreads probability roughly evenly over its 3,000 words; within a few
          hundred steps the function words come first.
        </p>
      </div>
      <div className="panel" data-testid="fill-panel" data-answer={answered ?? ''}>
        <TextField
          id="fill-text"
          className="field"
          label="Sentence with [MASK]"
          inputMode="text"
          value={text}
          error={shownError}
          onChange={setText}
        />
        {!ready && <p className="muted">Waiting for the model…</p>}
        {ready && failed && !error && (
          <p className="muted" data-testid="fill-error">
            No new guesses: {failed}
          </p>
        )}
        {current && !shownError && (
          <div className="fill-results" data-testid="fill-results">
            {current.predictions.map((p, m) => (
              <table
                key={p.position}
                className="stats-table fill-table"
                aria-label={`Guesses for [MASK] number ${m + 1}`}
              >
                <caption>
                  [MASK] {m + 1}: after “{current.tokens.slice(Math.max(1, p.position - 3), p.position).join(' ')}”
                </caption>
                <tbody>
                  {p.candidates.map((c, k) => (
                    <tr key={k}>
                      <td>{c.token}</td>
                      <td className="bar-cell">
                        <span className="bar" style={{ width: `${Math.max(1, c.p * 100)}%` }} />
                      </td>
                      <td data-testid="fill-p">{(c.p * 100).toFixed(1)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </div>
        )}
      </div>
    </section>
  );
});
