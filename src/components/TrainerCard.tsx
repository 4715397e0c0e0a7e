import { useCallback, useId, useMemo, useRef, type ReactNode } from 'react';
import type { BackendChoice } from '../train/contract';
import type { Trainer, TrainerPhase, TrainerState } from '../train/client/useTrainer';
import { Notice } from './Notice';
import { ExportButton } from './ExportButton';
import { RunDownloads } from './RunDownloads';
import { pageIdOf } from './runExport';
import type { RunRecord } from './runRecord';
import { useTrainerShortcuts } from './shortcuts';
import { PinnedRunsContext, useRunHistory } from './usePinnedRuns';
import type { ParamSpec } from '../core/params';

/** A step's wall time: milliseconds below a second, then seconds. */
export function formatStepTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  return Math.round(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export interface TrainerControls {
  /** Train starts the current run: it is built (phase 'ready') and nothing blocks it. */
  canTrain: boolean;
  /** Pause stops a running run, whatever the form says. */
  canPause: boolean;
  canStep: boolean;
  /** Reset rebuilds the run, once the one being built has landed. */
  canReset: boolean;
  /** Why Train is not available, for the disabled button and the card; null when it is. */
  reason: string | null;
}

/** Megabytes with one decimal: "1.2 of 6.1 MB", or "1.2 MB" while the total is unknown. */
export function formatDownload(loaded: number, total: number | null): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return total === null ? `${mb(loaded)} MB` : `${mb(loaded)} of ${mb(total)} MB`;
}

/**
 * What a run being built waits for, in the order it happens: the worker and
 * its backend starting, the corpus downloading (with its bytes), then the
 * model and the batches being built.
 */
export function preparingReason(
  state: Pick<TrainerState, 'backend' | 'loading'>,
  backend: BackendChoice = 'auto',
): string {
  if (state.backend === null)
    return backend === 'auto' ? 'Starting the training worker and its backend…' : `Starting the ${backend} backend…`;
  const loading = state.loading;
  if (loading && loading.loaded === 0 && loading.total === null) return 'Loading the corpus…';
  if (loading && (loading.total === null || loading.loaded < loading.total))
    return `Loading the corpus: ${formatDownload(loading.loaded, loading.total)}`;
  return 'Preparing the model and data…';
}

/**
 * What the card's buttons, and the same keys (Space, S, R), may do now;
 * `preparing` is what a run being built waits for (preparingReason).
 */
export function trainerControls(
  phase: TrainerPhase,
  blocked: string | null | undefined,
  preparing = 'Preparing the model and data…',
): TrainerControls {
  const ok = !blocked;
  return {
    canTrain: ok && phase === 'ready',
    canPause: phase === 'running',
    canStep: ok && phase === 'ready',
    canReset: ok && phase !== 'starting',
    reason: blocked || (phase === 'starting' ? preparing : null),
  };
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
  params,
  armLabels,
  seedKey,
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
  /** The page's parameter table: pinned runs are then named with its field labels and defaults. */
  params?: readonly ParamSpec[];
  /** The arms' names in arm order, for the CSV (default: the run spec's arm labels). */
  armLabels?: readonly string[];
  /** The query key of the run's seed, for the link that replays it (default 'seed'). */
  seedKey?: string;
  children?: ReactNode;
}) {
  const { state } = trainer;
  // Run history: a replaced run is pinned; the charts in the card read the pinned runs from the context.
  const history = useRunHistory(state, title, params, trainer.run);
  const last = state.points.at(-1);
  const running = state.phase === 'running';
  const can = trainerControls(state.phase, blocked, preparingReason(state, trainer.backendChoice));
  const reasonId = useId();
  // The keys call these too, so a key does exactly what its button does, and nothing while it is disabled.
  const toggle = () => {
    if (can.canPause) trainer.pause();
    else if (can.canTrain) trainer.train();
  };
  const step = () => {
    if (can.canStep) trainer.step();
  };
  const reset = () => {
    if (can.canReset) trainer.reset();
  };
  useTrainerShortcuts(shortcuts ? { toggle, step, reset } : null);
  const describedBy = !running && can.reason ? reasonId : undefined;
  // Downloads: the run on screen as a RunRecord, and the card's first chart (the main one) for the images.
  const sectionRef = useRef<HTMLElement>(null);
  const findChart = useCallback(() => sectionRef.current?.querySelector<HTMLElement>('figure.loss-chart') ?? null, []);
  const spec = trainer.run ?? null;
  const current = useMemo(
    (): RunRecord => ({
      id: 'current',
      label: 'current',
      armLabels: armLabels ?? spec?.arms.map((a) => a.label) ?? [title],
      points: state.points,
      evals: state.evals,
      spec,
      link: '',
    }),
    [armLabels, spec, title, state.points, state.evals],
  );

  // Before the first step: the untrained model's held-out loss (the curve's step 0).
  const loss = last?.loss ?? state.evals[0]?.heldOutLoss;
  const heldOut = state.evals.at(-1)?.heldOutLoss;
  const of = arm ? ` (${arm})` : '';
  return (
    <section
      ref={sectionRef}
      className="trainer"
      data-testid="trainer"
      data-generation={state.generation}
      aria-label={title}
    >
      <div className="trainer-bar">
        <h3 className="trainer-title">{title}</h3>
        <div className="trainer-buttons" role="group" aria-label="Training controls">
          <button
            type="button"
            className="primary"
            onClick={toggle}
            disabled={!can.canPause && !can.canTrain}
            aria-describedby={describedBy}
            aria-keyshortcuts="Space"
          >
            {running ? 'Pause' : 'Train'}
          </button>
          <button
            type="button"
            onClick={step}
            disabled={!can.canStep}
            aria-describedby={describedBy}
            aria-keyshortcuts="S"
          >
            Step
          </button>
          <button type="button" onClick={reset} disabled={!can.canReset} aria-keyshortcuts="R">
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
          <dt>time/step</dt>
          <dd data-testid="trainer-step-time">{last ? formatStepTime(last.stepMs) : '–'}</dd>
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
      {blocked && (
        <div id={reasonId}>
          <Notice kind="warning">{blocked}</Notice>
        </div>
      )}
      {state.phase === 'starting' && !blocked && (
        <p className="muted" id={reasonId} data-testid="trainer-preparing">
          {can.reason}
        </p>
      )}
      {running && !last && (
        <p className="muted" role="status" data-testid="trainer-first-step">
          First step…: it allocates the model’s memory (and on a GPU backend compiles its kernels), so it takes longer
          than the steps after it.
        </p>
      )}
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
      <PinnedRunsContext.Provider value={history}>{children}</PinnedRunsContext.Provider>
      <RunDownloads current={current} pinned={history.pinned} title={title} seedKey={seedKey} chart={findChart} />
      <ExportButton run={spec} stem={pageIdOf(typeof window === 'undefined' ? '' : window.location.hash)} />
    </section>
  );
}
