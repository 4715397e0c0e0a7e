import { exactLog2, fp16SharesAtShift } from '../../core';
import { M } from '../../components/Equation';
import { formatShare } from './explorerInput';
import { GradHistogram } from './GradHistogram';
import { pow2 } from './power';
import type { ArmGradients } from './useArmGradients';

/** Section 3: one arm's gradients as the FP16 cast would see them (times its current loss scale). */
export function GradientSection({
  labels,
  arm,
  onArm,
  grads,
}: {
  labels: readonly string[];
  arm: number;
  onArm: (a: number) => void;
  grads: ArmGradients | null;
}) {
  const h = grads?.histogram ?? null;
  const shares = h ? fp16SharesAtShift(h, 0) : null;
  const k = grads ? exactLog2(grads.scale) : null;
  return (
    <section aria-labelledby="grads">
      <h2 id="grads">3. Where the gradients sit in FP16’s range</h2>
      <div className="prose">
        <p>
          The race’s models can show their gradients: one backward pass on a held-out batch at the arm’s current
          weights, every element multiplied by the arm’s current loss scale <M>S</M> and sorted into power-of-two
          buckets by <M>{'\\lfloor \\log_2 |S g| \\rfloor'}</M>. That product is what an FP16 gradient would have to
          hold. With loss scaling the whole histogram moves right by <M>{'\\log_2 S'}</M> buckets, away from the zero
          zone. The race’s shrink (<M>{'2^{-k}'}</M>, section 2) is included: with it the gradients sit <M>k</M> buckets
          further left, as a large model’s would.
        </p>
      </div>
      <div className="panel" data-testid="grad-panel">
        <div className="inline-field">
          <label htmlFor="grad-arm">Arm</label>
          <select id="grad-arm" value={arm} onChange={(e) => onArm(Number(e.target.value))}>
            {labels.map((l, i) => (
              <option key={l} value={i}>
                {l}
              </option>
            ))}
          </select>
        </div>
        {!h || !shares ? (
          <p className="muted" data-testid="grad-waiting">
            {grads && !h
              ? 'This arm has stopped (it diverged), so it has no gradients to show.'
              : 'Waiting for the worker to build the models…'}
          </p>
        ) : (
          <>
            <GradHistogram
              h={h}
              shift={0}
              testId="grad-histogram"
              label={`Gradient magnitudes of ${labels[grads!.arm] ?? 'the arm'} at step ${grads!.step}, times scale ${grads!.scale}: ${formatShare(shares.underflowShare)} would round to 0 in FP16`}
            />
            <dl className="trainer-stats">
              <div>
                <dt>Arm, step</dt>
                <dd>
                  {labels[grads!.arm]}, {grads!.step}
                </dd>
              </div>
              <div>
                <dt>Loss scale S</dt>
                <dd data-testid="grad-scale">{k !== null ? `${pow2(k)} = ${grads!.scale}` : grads!.scale}</dd>
              </div>
              <div>
                <dt>Would become 0</dt>
                <dd data-testid="underflow-share">{formatShare(shares.underflowShare)}</dd>
              </div>
              <div>
                <dt>Subnormal</dt>
                <dd data-testid="subnormal-share">
                  {formatShare(shares.nonzero ? shares.subnormal / shares.nonzero : 0)}
                </dd>
              </div>
              <div>
                <dt>Would overflow</dt>
                <dd data-testid="overflow-share">{formatShare(shares.overflowShare)}</dd>
              </div>
              <div>
                <dt>Elements (exact zeros)</dt>
                <dd>
                  {grads!.count} ({h.zeros})
                </dd>
              </div>
            </dl>
          </>
        )}
      </div>
    </section>
  );
}
