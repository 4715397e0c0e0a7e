import type { ReactNode } from 'react';
import { LossChart } from '../../components/LossChart';
import { MemoryReadout } from '../../components/MemoryReadout';
import { TrainerCard } from '../../components/TrainerCard';
import type { ParamSpec } from '../../core/params';
import type { BackendChoice, RunSpec } from '../../train/contract';
import { useTrainer } from '../../train/client/useTrainer';
import { SamplePanel } from './SamplePanel';
import { ScorePanel } from './ScorePanel';

/**
 * The live part of the page. Trainer state lives here, so its updates (several
 * a second) re-render only the trainer, the chart and the model views; the
 * hyperparameter panel arrives as an element made by the page and is reused.
 */
export function DecoderDemo({
  run,
  backend,
  blocked,
  temperature,
  seed,
  words,
  hyperparams,
  params,
}: {
  run: RunSpec | null;
  backend: BackendChoice;
  blocked: string | null;
  temperature: number;
  seed: number;
  words: boolean;
  hyperparams: ReactNode;
  /** The page's parameter table, for naming pinned runs. */
  params?: readonly ParamSpec[];
}) {
  const trainer = useTrainer(run, backend);
  return (
    <>
      <div className="demo-grid">
        {hyperparams}
        <TrainerCard trainer={trainer} title="Tiny GPT" blocked={blocked} params={params}>
          <LossChart points={trainer.state.points} evals={trainer.state.evals} />
          <MemoryReadout trainer={trainer} />
        </TrainerCard>
      </div>
      <div className="demo-grid two-up">
        <SamplePanel trainer={trainer} temperature={temperature} seed={seed} />
        <ScorePanel trainer={trainer} words={words} />
      </div>
    </>
  );
}
