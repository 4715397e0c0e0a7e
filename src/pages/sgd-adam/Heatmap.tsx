import { useEffect, useRef, useState } from 'react';
import { M } from '../../components/Equation';
import { ofGeneration, useLiveQuery } from '../../components/useLiveQuery';
import type { Trainer } from '../../train/client/useTrainer';
import { ADAM_ARM } from './params';

const MATRICES = [
  { name: 'h0.attn.wqkv', label: 'attention W_qkv (layer 1)' },
  { name: 'h0.mlp.w1', label: 'MLP W_1 (layer 1)' },
  { name: 'h0.mlp.w2', label: 'MLP W_2 (layer 1)' },
];

/** log10 of |x| mapped to a colour ramp between the matrix's 2nd and 98th percentiles. */
export function heatColors(values: Float32Array): { colors: Uint8ClampedArray<ArrayBuffer>; lo: number; hi: number } {
  const logs = Array.from(values, (x) => Math.log10(Math.abs(x) + 1e-30));
  const sorted = [...logs].sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.02 * (sorted.length - 1))];
  const hi = sorted[Math.ceil(0.98 * (sorted.length - 1))];
  const colors = new Uint8ClampedArray(new ArrayBuffer(values.length * 4));
  logs.forEach((l, i) => {
    const t = hi > lo ? Math.min(1, Math.max(0, (l - lo) / (hi - lo))) : 0.5;
    // Dark blue (small) to yellow (large): readable on light and dark backgrounds.
    colors[4 * i] = Math.round(20 + 235 * t);
    colors[4 * i + 1] = Math.round(30 + 190 * t);
    colors[4 * i + 2] = Math.round(110 - 80 * t);
    colors[4 * i + 3] = 255;
  });
  return { colors, lo, hi };
}

/** Section 6a: Adam's v (or the effective step) over one weight matrix, as an image. */
export function Heatmap({ trainer }: { trainer: Trainer }) {
  const [name, setName] = useState(MATRICES[0].name);
  const [what, setWhat] = useState<'v' | 'step'>('v');
  const { state } = trainer;
  const ready = state.phase === 'ready' || state.phase === 'running';
  const step = state.points.at(-1)?.step ?? 0;
  const live = useLiveQuery(() => trainer.matrix(ADAM_ARM, name, what), `${state.generation}:${step}:${name}:${what}`, {
    enabled: ready && step > 0,
    running: state.phase === 'running',
    intervalMs: 2000,
  });
  // A matrix from before a reset (or another backend) is not this run's.
  const { value, key: answered, error } = ofGeneration(live, state.generation);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [range, setRange] = useState<{ lo: number; hi: number } | null>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c || !value?.values || value.shape.length !== 2) return;
    const [rows, cols] = value.shape;
    c.width = cols;
    c.height = rows;
    const { colors, lo, hi } = heatColors(value.values);
    c.getContext('2d')?.putImageData(new ImageData(colors, cols, rows), 0, 0);
    setRange({ lo, hi });
  }, [value]);
  return (
    <div className="panel" data-testid="heatmap-panel" data-answer={answered ?? ''}>
      <h3>Per-parameter step sizes over a whole matrix</h3>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="heat-matrix">Matrix</label>
          <select id="heat-matrix" value={name} onChange={(e) => setName(e.target.value)}>
            {MATRICES.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="heat-what">Show</label>
          <select id="heat-what" value={what} onChange={(e) => setWhat(e.target.value as 'v' | 'step')}>
            <option value="v">second moment v</option>
            <option value="step">effective step η m̂ / (√v̂ + ε)</option>
          </select>
        </div>
      </div>
      {error && ready && (
        <p className="muted" data-testid="heatmap-error">
          No new matrix: {error}
        </p>
      )}
      {!value?.values ? (
        <p className="muted">Train or step the race to fill the matrix.</p>
      ) : (
        <>
          <canvas
            ref={canvas}
            className="heatmap"
            data-testid="heatmap"
            aria-label={`${what === 'v' ? 'v' : 'effective step'} of ${name}, ${value.shape.join(' by ')}, at step ${value.step}`}
          />
          <p className="muted">
            {value.shape[0]} × {value.shape[1]} at step {value.step}; colour is log₁₀ of the magnitude, dark ≈{' '}
            {range ? <M>{`10^{${range.lo.toFixed(1)}}`}</M> : '…'} to yellow ≈{' '}
            {range ? <M>{`10^{${range.hi.toFixed(1)}}`}</M> : '…'}. Rows are inputs, columns outputs. v varies over
            orders of magnitude, in bands (in W_qkv the query, key and value thirds differ); switch to the effective
            step: it stays below about η however large or small v is, because Adam divides each gradient by its own
            typical size.
          </p>
        </>
      )}
    </div>
  );
}
