import { memo, useMemo } from 'react';
import { Equation, M } from '../../components/Equation';
import { Notice } from '../../components/Notice';
import type { ParameterTensor } from '../../core/optim';
import { formatCount, formatExact, formatShare } from './format';
import { largestMatrices, secondMoments } from './matrices';
import { ScrollRegion } from '../../components/ScrollRegion';

/** Kinds of matrix shown; the presets have 6 or 7 (one row per shape, with how many the model has). */
const ROWS = 8;

// AdaFactor's step on a matrix as adafactorStep (src/core/optim/adafactor.ts) computes it with
// its defaults: eps1 inside the statistics, the update clipped at RMS d, the relative step size.
export const ADAFACTOR_STATS_TEX = String.raw`R_t = \hat\beta_{2t} R_{t-1} + (1 - \hat\beta_{2t})\, (G_t^2 + \epsilon_1 \mathbf 1_n \mathbf 1_m^\top)\, \mathbf 1_m \in \R^{n}, \qquad C_t = \hat\beta_{2t} C_{t-1} + (1 - \hat\beta_{2t})\, \mathbf 1_n^\top (G_t^2 + \epsilon_1 \mathbf 1_n \mathbf 1_m^\top) \in \R^{1 \times m}`;
export const ADAFACTOR_UPDATE_TEX = String.raw`\hat V_t = \frac{R_t\, C_t}{\mathbf 1_n^\top R_t} \in \R^{n \times m}\ (\text{computed, never stored}), \qquad U_t = \frac{G_t}{\sqrt{\hat V_t}}, \qquad \hat U_t = \frac{U_t}{\max\left(1,\ \mathrm{RMS}(U_t) / d\right)}, \qquad W_t = W_{t-1} - \alpha_t\, \hat U_t`;
export const ADAFACTOR_STEP_TEX = String.raw`\alpha_t = \max\left(\epsilon_2,\ \mathrm{RMS}(W_{t-1})\right) \rho_t, \qquad \rho_t = \min\left(10^{-2},\ \tfrac{1}{\sqrt t}\right), \qquad \hat\beta_{2t} = 1 - t^{-0.8}, \qquad \mathrm{RMS}(X) = \sqrt{\operatorname{mean}(X^2)}, \qquad \epsilon_1 = 10^{-30},\ \epsilon_2 = 10^{-3},\ d = 1`;

/** Section 4: AdaFactor's n + m statistics per matrix, from the selected model's real shapes. */
export const Adafactor = memo(function Adafactor({
  tensors,
  modelLabel,
  waiting,
}: {
  tensors: ParameterTensor[] | null;
  modelLabel: string;
  waiting: string | null;
}) {
  const rows = useMemo(() => (tensors ? largestMatrices(tensors, ROWS) : []), [tensors]);
  const kinds = useMemo(() => (tensors ? tensors.filter((t) => t.shape.length === 2).length : 0), [tensors]);
  const summary = useMemo(() => (tensors ? secondMoments(tensors) : null), [tensors]);
  // FP32: 4 bytes each for θ and g, plus 4 per stored statistic.
  const perParam = summary ? 8 + (4 * summary.adafactorState) / summary.parameterCount : 0;
  return (
    <section aria-labelledby="adafactor">
      <h2 id="adafactor">
        4. AdaFactor: <M>{'O(n + m)'}</M> instead of <M>{'O(n \\times m)'}</M>
      </h2>
      <div className="prose">
        <p>
          For a weight matrix <M>{'W \\in \\R^{n \\times m}'}</M>, Adam keeps <M>{'n \\times m'}</M> second moments and
          as many first moments. AdaFactor keeps only running <em>row sums</em> and <em>column sums</em> of the squared
          gradient, which is <M>{'n + m'}</M> numbers. When it needs the second moment it rebuilds a rank-one estimate
          of it from these statistics, which is never stored. It also drops the momentum <M>{'m_t'}</M>. Vectors such as
          biases and norm gains are small, so they keep their full second moment.
        </p>
      </div>
      <Equation tex={ADAFACTOR_STATS_TEX} label="AdaFactor's row and column statistics" />
      <Equation tex={ADAFACTOR_UPDATE_TEX} label="AdaFactor's rank-one estimate and clipped update" />
      <Equation tex={ADAFACTOR_STEP_TEX} label="AdaFactor's step size and constants" />
      <div className="prose">
        <p>
          <M>{String.raw`\epsilon_1`}</M> keeps a row or column that has had no gradient from dividing by zero. The
          clipping shrinks an update whose RMS is above <M>d</M> to RMS <M>d</M>: when the gradients suddenly grow, the
          slowly moving <M>{String.raw`\hat V_t`}</M> is too small for them, and without it the step would be too large.
          The step size is relative: a share <M>{String.raw`\rho_t`}</M> of the weights’ own RMS.
        </p>
      </div>
      {waiting !== null ? (
        <Notice kind="info">{waiting}</Notice>
      ) : !tensors || !summary ? (
        <Notice kind="info" testId="adafactor-needs-shapes">
          A bare parameter count has no matrix shapes. Pick a preset, the tiny GPT or a custom GPT to see what AdaFactor
          saves matrix by matrix.
        </Notice>
      ) : (
        <>
          <ScrollRegion>
            <table className="stats-table mem-matrix-table" data-testid="matrix-table">
              <caption>
                {rows.length < kinds ? `The ${rows.length} largest kinds of matrix` : 'Every kind of matrix'} in{' '}
                {modelLabel}, largest first: second-moment numbers for one matrix under Adam and under AdaFactor
              </caption>
              <thead>
                <tr>
                  <th scope="col">matrix</th>
                  <th scope="col">
                    <M>{'n \\times m'}</M> shape
                  </th>
                  <th scope="col">in the model</th>
                  <th scope="col">
                    Adam’s <M>v</M>: <M>{'n m'}</M>
                  </th>
                  <th scope="col">
                    AdaFactor: <M>{'n + m'}</M>
                  </th>
                  <th scope="col">
                    <M>{'n m / (n + m)'}</M>
                    <span className="visually-hidden"> (how many times smaller)</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.name} data-testid="matrix-row" data-full={r.full} data-factored={r.factored}>
                    <th scope="row">{r.name}</th>
                    <td className="mem-num">
                      {formatExact(r.n)} × {formatExact(r.m)}
                    </td>
                    <td className="mem-num">{r.count === 1 ? 'once' : `${r.count} times`}</td>
                    <td className="mem-num">{formatExact(r.full)}</td>
                    <td className="mem-num">{formatExact(r.factored)}</td>
                    <td className="mem-num">{formatExact(Math.round(r.full / r.factored))}×</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="mem-subtotal">
                  <th scope="row" colSpan={3}>
                    all matrices, each counted as often as the model has it
                  </th>
                  <td className="mem-num" data-testid="matrix-full-total" data-value={summary.matrixFull}>
                    {formatExact(summary.matrixFull)}
                  </td>
                  <td className="mem-num" data-testid="matrix-factored-total" data-value={summary.matrixFactored}>
                    {formatExact(summary.matrixFactored)}
                  </td>
                  <td className="mem-num">{formatExact(Math.round(summary.matrixFull / summary.matrixFactored))}×</td>
                </tr>
              </tfoot>
            </table>
          </ScrollRegion>
          <p data-testid="adafactor-summary">
            The whole of {modelLabel}: Adam’s state (<M>{'m'}</M> and <M>{'v'}</M>) is{' '}
            <strong data-value={summary.adamState}>{formatExact(summary.adamState)}</strong> numbers; AdaFactor’s is{' '}
            <strong data-testid="adafactor-state" data-value={summary.adafactorState}>
              {formatExact(summary.adafactorState)}
            </strong>{' '}
            ({formatCount(summary.matrixFactored)} row and column sums for the matrices,{' '}
            {formatCount(summary.vectorEntries)} for the vectors),{' '}
            {formatShare(summary.adafactorState, summary.adamState)} of Adam’s. In FP32 that is{' '}
            {perParam.toFixed(perParam - 8 < 0.01 ? 4 : 2)} bytes per parameter against Adam’s 16 and SGD’s 8
            {perParam < 9
              ? ': the optimiser state has almost disappeared, and θ and g account for nearly all the memory.'
              : '.'}
          </p>
        </>
      )}
      <div className="prose">
        <p>
          The saving comes with costs. Without momentum, and with a second moment that is only an estimate, the
          optimiser relies on its other parts (a decaying <M>{'\\hat\\beta_{2t}'}</M>, update clipping, step sizes
          relative to the weights’ scale) to stay stable. T5 was trained with it, but it can be difficult to get
          AdaFactor to train well.
        </p>
      </div>
    </section>
  );
});
