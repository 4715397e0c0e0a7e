import { useMemo, type ReactNode } from 'react';
import { isClaimArm, type Claim } from '../core/claims';
import { ClaimLine } from './ClaimLine';
import { MemoryReadout } from './MemoryReadout';
import { MetricChart } from './MetricChart';
import { armSeries, evalSeries, stepSeries } from './series';
import { TrainerCard } from './TrainerCard';
import type { Trainer } from '../train/client/useTrainer';

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
}) {
  const { points, evals } = trainer.state;
  // Every arm's training curve first, then the held-out ones: with five arms
  // the five lines drawn by default are one per arm (the legend adds the rest).
  const curves = useMemo(() => {
    const finite = (pts: { step: number; value: number }[]) => pts.filter((p) => Number.isFinite(p.value));
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
  }, [points, evals, labels, claim]);
  const lastArms = points.at(-1)?.arms;
  const dropped = labels.filter((_, a) => lastArms && !Number.isFinite(lastArms[a]?.total));
  return (
    <div className="demo-grid">
      {hyperparams}
      <TrainerCard trainer={trainer} title={title} blocked={blocked} shortcuts={shortcuts} arm={labels[referenceArm]}>
        {claim && <ClaimLine claim={claim} labels={labels} data={trainer.state} />}
        <MetricChart
          series={curves}
          label="Training loss per optimiser"
          xTitle="step"
          yTitle="loss (nats/token)"
          caption="Mean -log p per token (a character or a word, as the run tokenizes); each arm in its own colour and dash; dots: held out, every 25 steps."
        />
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
