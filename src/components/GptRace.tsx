import { useMemo, type ReactNode } from 'react';
import { MemoryReadout } from './MemoryReadout';
import { MetricChart } from './MetricChart';
import { ARM_COLORS, evalSeries, series, stepSeries } from './series';
import { TrainerCard } from './TrainerCard';
import type { Trainer } from '../train/useTrainer';

const COLORS = [...ARM_COLORS, 'var(--series-5)'];

/** Several copies of one tiny GPT trained on the same batches (one per optimiser or schedule), curves overlaid. */
export function GptRace({
  trainer,
  labels,
  blocked,
  hyperparams,
  title = 'Optimiser race on a tiny GPT',
  children,
  shortcuts = true,
}: {
  trainer: Trainer;
  labels: readonly string[];
  blocked: string | null;
  hyperparams: ReactNode;
  title?: string;
  /** Extra views of the same run, drawn in the trainer card below the loss chart. */
  children?: ReactNode;
  /** Space/S/R drive this trainer; false for a second trainer on the page, so the keys stay with the first. */
  shortcuts?: boolean;
}) {
  const { points, evals } = trainer.state;
  const curves = useMemo(
    () =>
      labels.flatMap((l, a) => [
        series(`train${a}`, l, COLORS[a], stepSeries(points, a, 'total').filter((p) => Number.isFinite(p.value))),
        series(`held${a}`, `${l} (held out)`, COLORS[a], evalSeries(evals, a, 'total').filter((p) => Number.isFinite(p.value)), { dashed: true, dots: true }),
      ]),
    [points, evals, labels],
  );
  const lastArms = points.at(-1)?.arms;
  const dropped = labels.filter((_, a) => lastArms && !Number.isFinite(lastArms[a]?.total));
  return (
    <div className="demo-grid">
      {hyperparams}
      <TrainerCard trainer={trainer} title={title} blocked={blocked} shortcuts={shortcuts}>
        <MetricChart series={curves} label="Training loss per optimiser" caption="Mean -log p per character (nats); dashed: held out, every 25 steps." />
        {dropped.length > 0 && (
          <p className="field-error" data-testid="race-dropped">
            {dropped.join(', ')} diverged (the loss blew up) and stopped; the others go on. Lower its learning rate and press Reset.
          </p>
        )}
        {children}
        <MemoryReadout trainer={trainer} />
      </TrainerCard>
    </div>
  );
}
