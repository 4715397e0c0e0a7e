import { useMemo, type ReactNode } from 'react';
import type { Claim } from '../../core/claims';
import { ClaimLine } from '../../components/ClaimLine';
import { MemoryReadout } from '../../components/MemoryReadout';
import { MetricChart, type Series } from '../../components/MetricChart';
import { usePinnedOverlay, type CurveBuilder } from '../../components/usePinnedRuns';
import type { ParamSpec } from '../../core/params';
import type { EvalPoint, StepPoint } from '../../train/contract';
import { TrainerCard } from '../../components/TrainerCard';
import { ofGeneration, useLiveQuery } from '../../components/useLiveQuery';
import type { Trainer } from '../../train/client/useTrainer';
import { armPairCurves } from '../../components/series';

const REFRESH_MS = 3000;

/** Each objective's training and held-out loss; for a pinned run too (no claim emphasis there). */
const NAMES = { train: (l: string) => `${l}: training`, held: (l: string) => `${l}: held out` };
const lossCurves = (
  points: readonly StepPoint[],
  evals: readonly EvalPoint[],
  labels: readonly string[],
  claim: Claim | null = null,
): Series[] => armPairCurves(points, evals, labels, 'total', NAMES, claim);
const pinnedCurves: CurveBuilder = (points, evals, labels) => lossCurves(points, evals, labels);

/** The loss chart, inside the trainer card so that it draws the card's pinned runs too. */
function LossPerToken({ curves, labels }: { curves: Series[]; labels: readonly string[] }) {
  const pinned = usePinnedOverlay(pinnedCurves, labels);
  return (
    <MetricChart
      series={curves}
      label="Loss per target token"
      xTitle="step"
      yTitle="loss (nats/target token)"
      caption="Mean -log p per target token, each objective on its own targets; dots: held out, every 25 steps."
      pinned={pinned}
    />
  );
}

function Reconstructions({ trainer, arm, label }: { trainer: Trainer; arm: number; label: string }) {
  const { state } = trainer;
  const ready = state.phase === 'ready' || state.phase === 'running';
  const step = state.evals.at(-1)?.step ?? 0;
  const live = useLiveQuery(() => trainer.reconstruct(2, arm), `${state.generation}:${step}:${arm}`, {
    enabled: ready,
    running: state.phase === 'running',
    intervalMs: REFRESH_MS,
  });
  const { value: current, key: answered, error } = ofGeneration(live, state.generation);
  return (
    <div className="reconstructions" data-testid={`recon-${arm}`} data-answer={answered ?? ''}>
      <h4>{label}</h4>
      {error && ready && (
        <p className="muted" data-testid="recon-error">
          No new reconstructions: {error}
        </p>
      )}
      {!current ? (
        <p className="muted">Waiting for the model…</p>
      ) : (
        current.map((r, i) => (
          <dl key={i} className="recon">
            <dt>input</dt>
            <dd>{r.input.join(' ')}</dd>
            <dt>target</dt>
            <dd>{r.target.join(' ')}</dd>
            <dt>model (greedy)</dt>
            <dd data-testid="recon-output">{r.output.join(' ') || '∅ (stopped at once)'}</dd>
          </dl>
        ))
      )}
    </div>
  );
}

/** Section 5: tiny encoder-decoders trained live, one per chosen objective. */
export function Training({
  trainer,
  labels,
  claim,
  blocked,
  hyperparams,
  params,
}: {
  trainer: Trainer;
  labels: readonly string[];
  /** The comparison's teaching claim (null when the chosen objectives are not the ones it is about). */
  claim: Claim | null;
  blocked: string | null;
  hyperparams: ReactNode;
  /** The page's parameter table, for naming pinned runs. */
  params?: readonly ParamSpec[];
}) {
  const { points, evals } = trainer.state;
  const curves = useMemo(() => lossCurves(points, evals, labels, claim), [points, evals, labels, claim]);
  return (
    <>
      <div className="demo-grid">
        {hyperparams}
        <TrainerCard
          trainer={trainer}
          title="Tiny encoder-decoder"
          blocked={blocked}
          arm={labels.length > 1 ? labels[0] : undefined}
          params={params}
        >
          {claim && <ClaimLine claim={claim} labels={labels} data={trainer.state} />}
          <LossPerToken curves={curves} labels={labels} />
          <MemoryReadout trainer={trainer} />
        </TrainerCard>
      </div>
      <div className="panel">
        <h3>Held-out reconstructions (refreshed every 25 steps)</h3>
        <div className="two-up">
          {labels.map((l, a) => (
            <Reconstructions key={`${a}:${l}`} trainer={trainer} arm={a} label={l} />
          ))}
        </div>
      </div>
    </>
  );
}
