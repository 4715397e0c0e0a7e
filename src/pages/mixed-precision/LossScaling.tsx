import { useState } from 'react';
import { exactLog2, fp16SharesAtShift } from '../../core';
import { Equation, M } from '../../components/Equation';
import type { StepPoint } from '../../train/contract';
import { formatShare } from './explorerInput';
import { GradHistogram } from './GradHistogram';
import { LossScalePlot } from './LossScalePlot';
import { pow2 } from './power';
import { ScalerSim } from './ScalerSim';
import type { ArmGradients } from './useArmGradients';

/** Section 4: a static scale tried on the latest histogram, and the dynamic scaler of the live run. */
export function LossScaling({
  grads,
  labels,
  scaled,
  points,
  growthInterval,
}: {
  grads: ArmGradients | null;
  labels: readonly string[];
  scaled: readonly boolean[];
  points: readonly StepPoint[];
  growthInterval: number;
}) {
  const [j, setJ] = useState(10);
  const h = grads?.histogram ?? null;
  const k = grads ? exactLog2(grads.scale) : null;
  // The histogram holds g * 2^k; g * 2^j is the same histogram moved by j - k buckets.
  const shares = h && k !== null ? fp16SharesAtShift(h, j - k) : null;
  return (
    <section aria-labelledby="scaling">
      <h2 id="scaling">4. Loss scaling</h2>
      <div className="prose">
        <p>
          The chain rule is linear in the loss: multiply the loss by <M>S</M> before the backward pass and every
          gradient comes out multiplied by <M>S</M>. Divide by <M>S</M> again, in FP32, before the update and the step
          is unchanged, except that on the way the gradients were large enough for FP16 to hold. A power of two is used
          because multiplying and dividing by one is exact.
        </p>
      </div>
      <Equation
        tex={
          '\\tilde g = \\operatorname{fp16}\\!\\Big(\\nabla_\\theta \\big(S \\cdot L(\\theta)\\big)\\Big), \\qquad g = \\tilde g / S \\ \\text{(in FP32)}'
        }
        label="loss scaling"
      />
      <div className="prose">
        <p>
          Too small a scale leaves gradients in the zero zone; too large a one pushes the biggest past 65504. Try a
          fixed scale <M>{'S = 2^j'}</M> on the latest histogram of the arm picked above (its gradients without any
          scale, times <M>{'2^j'}</M>):
        </p>
      </div>
      <div className="panel" data-testid="static-scale-panel">
        <div className="hyperparam" style={{ maxWidth: '24rem' }}>
          <label htmlFor="static-scale">
            Static loss scale S = {pow2(j)} = {2 ** j}
          </label>
          <input
            id="static-scale"
            type="range"
            min={0}
            max={24}
            step={1}
            value={j}
            onChange={(e) => setJ(Number(e.target.value))}
            aria-valuetext={`2 to the ${j}`}
          />
        </div>
        {!h ? (
          <p className="muted">The histogram appears once the race’s models are built.</p>
        ) : !shares ? (
          <p className="muted">
            This arm’s scale ({grads!.scale}) is not a power of two, so the histogram cannot be moved exactly.
          </p>
        ) : (
          <>
            <GradHistogram
              h={h}
              shift={j - k!}
              testId="static-histogram"
              label={`Gradients of ${labels[grads!.arm] ?? 'the arm'} times ${pow2(j)}: ${formatShare(shares.underflowShare)} become 0, ${formatShare(shares.overflowShare)} overflow`}
            />
            <dl className="trainer-stats">
              <div>
                <dt>Become 0 at S = {pow2(j)}</dt>
                <dd data-testid="static-underflow">{formatShare(shares.underflowShare)}</dd>
              </div>
              <div>
                <dt>Overflow at S = {pow2(j)}</dt>
                <dd data-testid="static-overflow">{formatShare(shares.overflowShare)}</dd>
              </div>
              {shares.unknown > 0 && (
                <div>
                  <dt>Off the histogram, fate unknown</dt>
                  <dd>{shares.unknown}</dd>
                </div>
              )}
            </dl>
          </>
        )}
      </div>
      <div className="prose">
        <p>
          No single scale suits a whole run: gradients shrink as the loss falls, and one unlucky batch can spike. The
          dynamic rule (the one PyTorch’s GradScaler uses) searches for the largest safe scale as it trains. After every
          step it checks the scaled gradients for Inf or NaN:
        </p>
      </div>
      <Equation
        tex={
          'S \\leftarrow \\begin{cases} S / 2 \\ \\text{and skip the update} & \\text{if some } \\tilde g \\text{ is Inf or NaN} \\\\ 2S & \\text{after } N \\text{ steps in a row without overflow} \\\\ S & \\text{otherwise} \\end{cases}'
        }
        label="dynamic loss scaling"
      />
      <div className="prose">
        <p>
          Here <M>N</M> = {growthInterval} (the “Growth interval” field of the race; PyTorch uses 2000, far too long to
          watch in a tab). Each scaled arm of the race runs this rule; its scale per step is drawn below, on a log₂
          axis, with a mark at every skipped step. A skipped step costs one batch, which is cheap as long as overflows
          are rare; the rule makes them rare by backing off, and finds the ceiling again by growing.
        </p>
      </div>
      <LossScalePlot points={points} labels={labels} scaled={scaled} />
      <div className="prose">
        <p>
          The same rule can be run without a model, against a largest gradient you choose, with an occasional spike. The
          scale climbs one doubling every <M>N</M> steps until the scaled gradient passes 65504, drops back, and climbs
          again: a sawtooth under the ceiling, paying one skipped step per tooth. A shorter <M>N</M> finds the ceiling
          faster and skips more often.
        </p>
      </div>
      <ScalerSim />
    </section>
  );
}
