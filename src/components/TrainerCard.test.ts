// The trainer card and the chart legend rendered to static markup (no DOM, no worker).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../train/contract';
import type { Trainer, TrainerState } from '../train/client/useTrainer';
import { ChartLegend } from './ChartLegend';
import { formatDownload, formatStepTime, preparingReason, TrainerCard, trainerControls } from './TrainerCard';

const point = (step: number, loss: number): StepPoint => ({
  step,
  loss,
  lr: 0,
  gradNorm: 0,
  tokensSeen: 0,
  tokensPerSecond: 0,
  stepMs: 0,
});

function trainer(state: Partial<TrainerState>): Trainer {
  const full: TrainerState = {
    phase: 'ready',
    backend: null,
    points: [],
    evals: [],
    params: null,
    vocabSize: null,
    message: null,
    loading: null,
    generation: 0,
    ...state,
  };
  return { state: full } as Trainer;
}

const card = (t: Trainer, arm?: string, blocked?: string) =>
  renderToStaticMarkup(createElement(TrainerCard, { trainer: t, title: 'Race', arm, blocked }));

/** The disabled attribute of the button named `name` in `html`. */
function disabled(html: string, name: string): boolean {
  const button = html.match(new RegExp(`<button[^>]*>${name}</button>`))?.[0];
  if (!button) throw new Error(`no ${name} button`);
  return / disabled=""/.test(button);
}

describe('TrainerCard', () => {
  it('names the arm whose loss it shows, and keeps the readout a bare number', () => {
    const html = card(trainer({ points: [point(1, 2.4137)], evals: [{ step: 0, heldOutLoss: 4.2 }] }), 'GPT-2 init');
    expect(html).toContain('<dt data-testid="trainer-loss-label">train loss (GPT-2 init)</dt>');
    expect(html).toContain('<dd data-testid="trainer-loss">2.4137</dd>');
    expect(html).toContain('<dt>held-out loss (GPT-2 init)</dt>');
  });
  it('before the first step: the loss at init, of that arm', () => {
    expect(card(trainer({ evals: [{ step: 0, heldOutLoss: 4.2 }] }), 'Adam')).toContain('loss at init (Adam)');
  });
  it('says the first step is coming while it is, then the time each step takes', () => {
    const waiting = card(trainer({ phase: 'running' }));
    expect(waiting).toContain('data-testid="trainer-first-step"');
    expect(waiting).toContain('<dd data-testid="trainer-step-time">–</dd>');
    const slow = card(trainer({ phase: 'running', points: [{ ...point(1, 3), stepMs: 11_700 }] }));
    expect(slow).not.toContain('trainer-first-step');
    expect(slow).toContain('<dd data-testid="trainer-step-time">11.7 s</dd>');
    expect(card(trainer({ phase: 'ready' }))).not.toContain('trainer-first-step');
    expect([formatStepTime(36.7), formatStepTime(999.6), formatStepTime(Number.NaN)]).toEqual(['37 ms', '1.0 s', '–']);
  });
  it('a single model: no arm named', () => {
    const html = card(trainer({ points: [point(1, 3)] }));
    expect(html).toContain('>train loss</dt>');
    expect(html).toContain('>held-out loss</dt>');
  });
});

describe('trainer controls (the buttons and the Space, S and R keys alike)', () => {
  it('an invalid form blocks Train, Step and Reset, and says why; Pause still pauses', () => {
    expect(trainerControls('ready', 'Fix the highlighted hyperparameter to train.')).toEqual({
      canTrain: false,
      canPause: false,
      canStep: false,
      canReset: false,
      reason: 'Fix the highlighted hyperparameter to train.',
    });
    expect(trainerControls('running', 'Fix it.').canPause).toBe(true);
  });
  it('while the model is being built nothing but waiting is possible, and the card says so', () => {
    expect(trainerControls('starting', null)).toEqual({
      canTrain: false,
      canPause: false,
      canStep: false,
      canReset: false,
      reason: 'Preparing the model and data…',
    });
  });
  it('a built run trains, steps and resets; a diverged one only resets', () => {
    expect(trainerControls('ready', null)).toMatchObject({ canTrain: true, canStep: true, canReset: true });
    expect(trainerControls('diverged', null)).toMatchObject({ canTrain: false, canStep: false, canReset: true });
  });
  it('the rendered buttons follow them, and a disabled Train points at its reason', () => {
    const starting = card(trainer({ phase: 'starting' }));
    expect(disabled(starting, 'Train')).toBe(true);
    expect(disabled(starting, 'Reset')).toBe(true);
    const reason = starting.match(/id="([^"]+)" data-testid="trainer-preparing"/)?.[1];
    expect(reason).toBeTruthy();
    expect(starting).toContain(`aria-describedby="${reason}"`);
    const blocked = card(trainer({ phase: 'running' }), undefined, 'Fix it.');
    expect(disabled(blocked, 'Pause')).toBe(false);
    expect(disabled(blocked, 'Reset')).toBe(true);
    expect(disabled(card(trainer({ phase: 'ready' })), 'Train')).toBe(false);
  });
  it('while a run is built, says what it waits for: the backend, the corpus download, then the model', () => {
    expect(preparingReason({ backend: null, loading: null }, 'wasm')).toBe('Starting the wasm backend…');
    expect(preparingReason({ backend: null, loading: null })).toBe('Starting the training worker and its backend…');
    const backend = { name: 'wasm', reason: '' } as TrainerState['backend'];
    expect(preparingReason({ backend, loading: { loaded: 1.23e6, total: 6.1e6 } })).toBe(
      'Loading the corpus: 1.2 of 6.1 MB',
    );
    expect(preparingReason({ backend, loading: { loaded: 0, total: null } })).toBe('Loading the corpus…');
    expect(preparingReason({ backend, loading: { loaded: 3e5, total: null } })).toBe('Loading the corpus: 0.3 MB');
    expect(preparingReason({ backend, loading: { loaded: 6.1e6, total: 6.1e6 } })).toBe(
      'Preparing the model and data…',
    );
    expect(preparingReason({ backend, loading: null })).toBe('Preparing the model and data…');
    expect(formatDownload(0, 6_143_210)).toBe('0.0 of 6.1 MB');
    // The disabled Train button's description is that line.
    const html = card(trainer({ phase: 'starting', backend, loading: { loaded: 1.2e6, total: 6.1e6 } }));
    expect(html).toMatch(/data-testid="trainer-preparing">Loading the corpus: 1.2 of 6.1 MB</);
    expect(trainerControls('starting', null, 'Starting the wasm backend…').reason).toBe('Starting the wasm backend…');
  });
  it('the card names its run generation, for views and tests to compare answers against', () => {
    expect(card(trainer({ generation: 12 }))).toContain('data-generation="12"');
  });
});

describe('ChartLegend', () => {
  const entries = [
    { key: 'a', label: 'SGD', color: 'var(--series-1)', dash: '' },
    { key: 'b', label: 'Adam (held out)', color: 'var(--series-2)', dash: '9 4', dots: true },
  ];
  it('with onToggle: every entry is a toggle button, pressed when its line is shown', () => {
    const html = renderToStaticMarkup(
      createElement(ChartLegend, { entries, shown: new Set(['a']), onToggle: () => undefined }),
    );
    expect(html.match(/<button/g)).toHaveLength(2);
    expect(html).toMatch(
      /<button type="button" class="legend-item legend-toggle" aria-pressed="true" title="Hide SGD"/,
    );
    expect(html).toMatch(
      /class="legend-item legend-toggle legend-off" aria-pressed="false" title="Show Adam \(held out\)"/,
    );
  });
  it('swatches repeat the line: its dash pattern and its dots', () => {
    const html = renderToStaticMarkup(createElement(ChartLegend, { entries }));
    expect(html).not.toContain('<button');
    expect(html).toContain('stroke-dasharray="9 4"');
    expect(html.match(/<circle/g)).toHaveLength(2);
  });
});
