import { useMemo, type ReactNode } from 'react';
import { isClaimArm, type Claim } from '../core/claims';
import { ClaimLine } from './ClaimLine';
import { MemoryReadout } from './MemoryReadout';
import { MetricChart, type Series } from './MetricChart';
import { armSeries, evalSeries, stepSeries } from './series';
import { TrainerCard } from './TrainerCard';
import type { Trainer } from '../train/client/useTrainer';
import type { EvalPoint, StepPoint } from '../train/contract';
import type { ParamSpec } from '../core/params';
import { usePinnedOverlay } from './usePinnedRuns';

const finite = (pts: { step: number; value: number }[]) => pts.filter((p) => Number.isFinite(p.value));

/**
 * Every arm's training curve first, then the held-out ones: with five arms
 * the five lines drawn by default are one per arm (the legend adds the rest).
 */
function raceCurves(
  points: readonly StepPoint[],
  evals: readonly EvalPoint[],
  labels: readonly string[],
  claim: Claim | null = null,
) {
  return [
    ...labels.map((l, a) =>
      armSeries(`train${a}`, l, a, finite(stepSeries(points, a, 'total')), { emphasis: isClaimArm(claim, a) }),
    ),
    ...labels.map((l, a) =>
      armSeries(`held${a}`, `${l} (held out)`, a, finite(evalSeries(evals, a, 'total')), {
        dots: true,
        short: `${l} held out`,
        emphasis: isClaimArm(claim, a),
      }),
    ),
  ];
}

/** A pinned race's curves: the same series, no claim emphasis (a pinned run is never one the claim is about). */
const pinnedRaceCurves = (points: readonly StepPoint[], evals: readonly EvalPoint[], labels: readonly string[]) =>
  raceCurves(points, evals, labels);

/** The race's loss chart, inside its trainer card so that it draws the card's pinned runs too. */
function RaceChart({ curves, labels }: { curves: Series[]; labels: readonly string[] }) {
  const pinned = usePinnedOverlay(pinnedRaceCurves, labels);
  return (
    <MetricChart
      series={curves}
      label="Training loss per optimiser"
      xTitle="step"
      yTitle="loss (nats/token)"
      caption="Mean -log p per token (a character or a word, as the run tokenizes); each arm in its own colour and dash; dots: held out, every 25 steps."
      pinned={pinned}
    />
  );
}

/** Several copies of one tiny GPT trained on the same batches (one per optimiser or schedule), curves overlaid. */
export function GptRace({
  trainer,
  labels,
  referenceArm,
  claim = null,
  blocked,
  hyperparams,
  title = 'Optimiser race on a tiny GPT',
  children,
  shortcuts = true,
  params,
  seedKey,
}: {
  trainer: Trainer;
  labels: readonly string[];
  /** The run's reference arm (GptRunSpec.referenceArm): the trainer card's loss numbers are its, and say so. */
  referenceArm: number;
  /** The demo's teaching claim: its line sits above the chart, and its two arms are drawn bold, the others lighter. */
  claim?: Claim | null;
  blocked: string | null;
  hyperparams: ReactNode;
  title?: string;
  /** Extra views of the same run, drawn in the trainer card below the loss chart. */
  children?: ReactNode;
  /** Space/S/R drive this trainer; false for a second trainer on the page, so the keys stay with the first. */
  shortcuts?: boolean;
  /** The page's parameter table, for naming pinned runs (TrainerCard). */
  params?: readonly ParamSpec[];
  /** The query key of the run's seed, when it is not 'seed' (the link that replays the run sets it). */
  seedKey?: string;
}) {
  const { points, evals } = trainer.state;
  const curves = useMemo(() => raceCurves(points, evals, labels, claim), [points, evals, labels, claim]);
  const lastArms = points.at(-1)?.arms;
  const dropped = labels.filter((_, a) => lastArms && !Number.isFinite(lastArms[a]?.total));
  return (
    <div className="demo-grid">
      {hyperparams}
      <TrainerCard
        trainer={trainer}
        title={title}
        blocked={blocked}
        shortcuts={shortcuts}
        arm={labels[referenceArm]}
        params={params}
        armLabels={labels}
        seedKey={seedKey}
      >
        {claim && <ClaimLine claim={claim} labels={labels} data={trainer.state} />}
        <RaceChart curves={curves} labels={labels} />
        {dropped.length > 0 && (
          <p className="field-error" data-testid="race-dropped">
            {dropped.join(', ')} diverged (the loss blew up) and stopped; the others go on. Lower its learning rate and
            press Reset.
          </p>
        )}
        {children}
        <MemoryReadout trainer={trainer} />
      </TrainerCard>
    </div>
  );
}
