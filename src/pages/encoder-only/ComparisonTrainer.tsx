import type { ReactNode } from 'react';
import { MemoryReadout } from '../../components/MemoryReadout';
import { TrainerCard } from '../../components/TrainerCard';
import type { BackendChoice, BertRunSpec } from '../../train/contract';
import { useTrainer, type Trainer } from '../../train/client/useTrainer';

/**
 * A second (or third) live trainer on the page: its own worker, the same
 * controls and test hooks, no keyboard shortcuts (those drive the page's main
 * trainer). `render` draws the charts from the trainer's state.
 */
export function ComparisonTrainer({
  run,
  backend,
  blocked,
  title,
  render,
}: {
  run: BertRunSpec | null;
  backend: BackendChoice;
  blocked: string | null;
  title: string;
  render: (trainer: Trainer) => ReactNode;
}) {
  const trainer = useTrainer(run, backend);
  return (
    <TrainerCard
      trainer={trainer}
      title={title}
      blocked={blocked}
      shortcuts={false}
      arm={run && run.arms.length > 1 ? run.arms[0].label : undefined}
    >
      {render(trainer)}
      <MemoryReadout trainer={trainer} />
    </TrainerCard>
  );
}
