import type { Log2Histogram } from '../../core';
import { useLiveQuery } from '../../components/useLiveQuery';
import type { Trainer } from '../../train/client/useTrainer';

export interface ArmGradients {
  arm: number;
  generation: number;
  histogram: Log2Histogram | null;
  /** The loss scale the histogram's values were multiplied by (1 without loss scaling). */
  scale: number;
  count: number;
  step: number;
}

/**
 * One arm's gradient histogram on a held-out batch, asked again after every
 * step when paused and at most every 1.5 s while training. An answer for an
 * earlier run (before a reset or a new spec) is dropped.
 */
export function useArmGradients(trainer: Trainer, arm: number): ArmGradients | null {
  const { phase, generation } = trainer.state;
  const step = trainer.state.points.at(-1)?.step ?? 0;
  const live = phase === 'ready' || phase === 'running';
  const { value } = useLiveQuery(
    () => trainer.gradients(arm).then((r) => ({ ...r, arm, generation })),
    `${generation}:${step}:${arm}`,
    { enabled: live, running: phase === 'running', intervalMs: 1500 },
  );
  return value && value.generation === generation ? value : null;
}
