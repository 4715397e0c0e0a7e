import type { ReactNode } from 'react';
import type { Trainer } from '../train/client/useTrainer';
import { Notice } from './Notice';
import { useTrainerShortcuts } from './shortcuts';

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/**
 * A live trainer: Train/Pause, Step, Reset, the step count, the latest loss and
 * throughput. `blocked` (a reason) keeps training from starting, e.g. while a
 * hyperparameter is invalid. The test hooks (data-testid) are a public contract:
 * the loss readouts hold the number alone, and their labels name the arm.
 */
export function TrainerCard({
  trainer,
  title,
  blocked,
  shortcuts = true,
  arm,
  children,
}: {
  trainer: Trainer;
  title: string;
  blocked?: string | null;
  shortcuts?: boolean;
  /**
   * Runs of several arms: the arm whose loss the readouts show (a race's
   * referenceArm; arm 0 of BERT and encoder-decoder runs), named beside them.
   */
  arm?: string;
  children?: ReactNode;
}) {
  const { state } = trainer;
  const last = state.points.at(-1);
  const running = state.phase === 'running';
  const canStart = !blocked && (state.phase === 'ready' || running);
  const toggle = () => (running ? trainer.pause() : canStart && trainer.train());
  const step = () => !running && canStart && trainer.step();
  const reset = () => !blocked && trainer.reset();
  useTrainerShortcuts(shortcuts ? { toggle, step, reset } : { toggle() {}, step() {}, reset() {} });

  // Before the first step: the untrained model's held-out loss (the curve's step 0).
  const loss = last?.loss ?? state.evals[0]?.heldOutLoss;
  const heldOut = state.evals.at(-1)?.heldOutLoss;
  const of = arm ? ` (${arm})` : '';
  return (
    <section className="trainer" data-testid="trainer" aria-label={title}>
      <div className="trainer-bar">
        <h3 className="trainer-title">{title}</h3>
        <div className="trainer-buttons" role="group" aria-label="Training controls">
          <button type="button" className="primary" onClick={toggle} disabled={!canStart} aria-keyshortcuts="Space">
            {running ? 'Pause' : 'Train'}
          </button>
          <button type="button" onClick={step} disabled={running || !canStart} aria-keyshortcuts="S">
            Step
          </button>
          <button
            type="button"
            onClick={reset}
            disabled={!!blocked || state.phase === 'starting'}
            aria-keyshortcuts="R"
          >
            Reset
          </button>
        </div>
      </div>
      <dl className="trainer-stats">
        <div>
          <dt>step</dt>
          <dd data-testid="trainer-step">{last?.step ?? 0}</dd>
        </div>
        <div>
          <dt data-testid="trainer-loss-label">{last ? `train loss${of}` : `loss at init${of}`}</dt>
          <dd data-testid="trainer-loss">{loss === null || loss === undefined ? '' : loss.toFixed(4)}</dd>
        </div>
        <div>
          <dt>held-out loss{of}</dt>
          <dd data-testid="trainer-heldout">{heldOut === undefined ? '–' : heldOut.toFixed(4)}</dd>
        </div>
        <div>
          <dt>tokens seen</dt>
          <dd data-testid="trainer-tokens">{formatCount(last?.tokensSeen ?? 0)}</dd>
        </div>
        <div>
          <dt>tokens/s</dt>
          <dd data-testid="trainer-tps">{last ? formatCount(Math.round(last.tokensPerSecond)) : '–'}</dd>
        </div>
        <div>
          <dt>backend</dt>
          <dd data-testid="trainer-backend" title={state.backend?.reason}>
            {state.backend?.name ?? 'starting…'}
          </dd>
        </div>
        {state.params !== null && (
          <div>
            <dt>parameters</dt>
            <dd data-testid="trainer-params" data-value={state.params} title={state.params.toLocaleString('en-US')}>
              {formatCount(state.params)}
            </dd>
          </div>
        )}
      </dl>
      {blocked && <Notice kind="warning">{blocked}</Notice>}
      {state.phase === 'starting' && !blocked && <p className="muted">Preparing the model and data…</p>}
      {state.phase === 'diverged' && state.message && (
        <Notice kind="error" testId="trainer-diverged">
          {state.message}
        </Notice>
      )}
      {state.phase === 'error' && state.message && (
        <Notice kind="error" testId="trainer-error">
          {state.message}
        </Notice>
      )}
      {children}
    </section>
  );
}
