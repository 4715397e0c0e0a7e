import { memo } from 'react';
import { Equation, M } from '../../components/Equation';
import { isMissing, type MemoryBar, type MissingBar } from './bars';
import { formatBytes } from './format';

function total(bars: (MemoryBar | MissingBar)[], id: string): number | null {
  const bar = bars.find((b) => b.id === id);
  return bar && !isMissing(bar) ? bar.total : null;
}

/** Section 3: FP16 weights and gradients plus an FP32 master copy: the state does not shrink. */
export const MixedPrecision = memo(function MixedPrecision({
  bars,
  modelLabel,
}: {
  bars: (MemoryBar | MissingBar)[] | null;
  modelLabel: string;
}) {
  const adam32 = bars && total(bars, 'adam-fp32');
  const adamMixed = bars && total(bars, 'adam-mixed');
  return (
    <section aria-labelledby="mixed">
      <h2 id="mixed">3. Mixed precision leaves the training state the same size</h2>
      <div className="prose">
        <p>
          Mixed-precision training keeps the weights and gradients in FP16 (2 bytes) and runs the forward and backward
          passes there. FP16 alone does not work: any value smaller than <M>{'2^{-24}'}</M> becomes 0, so small
          gradients vanish, and a small update added to a much larger weight is rounded away. The fix is to keep a{' '}
          <em>master copy</em> of the weights in FP32, apply the update to that copy, and scale the loss up before the
          backward pass so that the gradients stay in FP16’s range. Adam’s moments stay in FP32. Counting bytes per
          parameter:
        </p>
      </div>
      <Equation
        tex={
          '\\underbrace{2}_{\\theta\\ \\text{FP16}} + \\underbrace{2}_{g\\ \\text{FP16}} + \\underbrace{4}_{\\text{master}\\ \\theta} + \\underbrace{4 + 4}_{m,\\ v} \\;=\\; 16 \\;=\\; \\underbrace{4}_{\\theta} + \\underbrace{4}_{g} + \\underbrace{4 + 4}_{m,\\ v}'
        }
        label="Adam: 16 bytes per parameter in mixed precision and in FP32"
      />
      {adam32 !== null && adamMixed !== null && (
        <p data-testid="mixed-note">
          For {modelLabel}: Adam in FP32 needs <strong>{formatBytes(adam32)}</strong>, Adam in mixed precision{' '}
          <strong>{formatBytes(adamMixed)}</strong>
          {adam32 === adamMixed ? ', exactly the same.' : '.'} SGD doesn’t get smaller either: 2 + 2 + 4 = 8 bytes, as
          in FP32.
        </p>
      )}
      <div className="prose">
        <p>
          So mixed precision doesn’t save memory on the training state counted here. The savings are in the{' '}
          <strong>activations</strong>, the outputs of every layer that the forward pass keeps for the backward pass. In
          FP16 they take half the bytes, and every matrix product moves half as much data. This page doesn’t count
          activations. They grow with batch size × sequence length × width × layers, and they depend on what a framework
          chooses to recompute. So the bars above show the state that persists from step to step. The peak memory during
          a step is higher.
        </p>
      </div>
    </section>
  );
});
