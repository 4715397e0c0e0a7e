import { useEffect, useRef, useState } from 'react';
import type { Trainer } from '../../train/useTrainer';

const SAMPLE_LENGTH = 160;
/** While training, a new sample at most this often (ms). */
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
  const [sample, setSample] = useState<{ text: string; step: number } | null>(null);
  const busy = useRef(false);
  const lastAt = useRef(0);
  const sampleRef = useRef(trainer.sample);
  sampleRef.current = trainer.sample;

  const generation = state.generation;
  useEffect(() => setSample(null), [generation]);

  useEffect(() => {
    if (!ready || busy.current) return;
    const now = performance.now();
    if (state.phase === 'running' && now - lastAt.current < REFRESH_MS) return;
    busy.current = true;
    lastAt.current = now;
    sampleRef
      .current(prompt, SAMPLE_LENGTH, temperature, (seed * 1_000_003 + step) >>> 0)
      .then((text) => setSample({ text, step }))
      .catch(() => undefined)
      .finally(() => {
        busy.current = false;
      });
    // Re-sample when the model moves on, or the prompt or temperature change.
  }, [ready, state.phase, step, prompt, temperature, seed, generation]);

  return (
    <section className="panel" aria-labelledby="sample-title">
      <h3 id="sample-title">A sample from the model</h3>
      <label className="inline-field">
        Prompt{' '}
        <input value={prompt} maxLength={200} onChange={(e) => setPrompt(e.target.value)} spellCheck={false} />
      </label>
      <p className="muted">
        Each next token is drawn from softmax(E φ / T) at temperature T = {temperature}; the prompt is shown in bold.
      </p>
      <pre className="sample" data-testid="sample-text" aria-live="off">
        <strong>{prompt}</strong>
        {sample ? sample.text : ready ? '…' : ''}
      </pre>
      {sample && <p className="muted">Sampled after step {sample.step}.</p>}
    </section>
  );
}
