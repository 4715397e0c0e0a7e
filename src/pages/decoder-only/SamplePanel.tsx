import { useState } from 'react';
import { ofGeneration, useLiveQuery } from '../../components/useLiveQuery';
import { seedFor } from '../../core';
import type { Trainer } from '../../train/client/useTrainer';

const SAMPLE_LENGTH = 120;
/** While training, a new sample at most this often (ms after the last one). */
const REFRESH_MS = 2500;

/**
 * A sample from the current model, refreshed as it trains. The sampling seed is
 * derived from the run seed and the step, so the same link shows the same text.
 */
export function SamplePanel({ trainer, temperature, seed }: { trainer: Trainer; temperature: number; seed: number }) {
  const { state } = trainer;
  const step = state.points.at(-1)?.step ?? 0;
  const ready = state.phase === 'ready' || state.phase === 'running';
  const [prompt, setPrompt] = useState('The ');
  const live = useLiveQuery(
    () =>
      trainer
        .sample(prompt, SAMPLE_LENGTH, temperature, seedFor(seed, 'sample', step))
        .then((text) => ({ text, step })),
    `${state.generation}:${step}:${temperature}:${prompt}`,
    { enabled: ready, running: state.phase === 'running', intervalMs: REFRESH_MS },
  );
  // A sample from before a reset does not describe this model.
  const { value: sample, key: answered, error } = ofGeneration(live, state.generation);

  return (
    <section className="panel" aria-labelledby="sample-title" data-testid="sample-panel" data-answer={answered ?? ''}>
      <h3 id="sample-title">A sample from the model</h3>
      <label className="inline-field">
        Prompt <input value={prompt} maxLength={200} onChange={(e) => setPrompt(e.target.value)} spellCheck={false} />
      </label>
      <p className="muted">
        Each next token is drawn from softmax(E φ / T) at temperature T = {temperature}; the prompt is shown in bold.
      </p>
      <pre className="sample" data-testid="sample-text" aria-live="off">
        <strong>{prompt}</strong>
        {sample ? sample.text : ready ? '…' : ''}
      </pre>
      {sample && <p className="muted">Sampled after step {sample.step}.</p>}
      {error && (
        <p className="muted" data-testid="sample-error">
          No new sample: {error}
        </p>
      )}
    </section>
  );
}
