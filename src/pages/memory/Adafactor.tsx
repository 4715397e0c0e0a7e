import { memo, useMemo } from 'react';
import { Equation, M } from '../../components/Equation';
import { Notice } from '../../components/Notice';
import type { ParameterTensor } from '../../core/optim';
import { formatCount, formatExact, formatShare } from './format';
import { largestMatrices, secondMoments } from './matrices';

/** Kinds of matrix shown; the presets have 6 or 7 (one row per shape, with how many the model has). */
const ROWS = 8;

/** Section 4: AdaFactor's n + m statistics per matrix, from the selected model's real shapes. */
export const Adafactor = memo(function Adafactor({ tensors, modelLabel, waiting }: { tensors: ParameterTensor[] | null; modelLabel: string; waiting: string | null }) {
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
          For a weight matrix <M>{'W \\in \\R^{n \\times m}'}</M>, Adam keeps <M>{'n \\times m'}</M> second moments and as many
          first moments. AdaFactor keeps only running <em>row sums</em> and <em>column sums</em> of the squared gradient, which
          is <M>{'n + m'}</M> numbers. When it needs the second moment it rebuilds a rank-one estimate of it from these
          statistics, which is never stored. It also drops the momentum <M>{'m_t'}</M>. Vectors such as biases and norm gains
          are small, so they keep their full second moment.
        </p>
      </div>
      <Equation
        tex={'R_t = \\hat\\beta_{2t} R_{t-1} + (1 - \\hat\\beta_{2t})\\, (G_t^2)\\, \\mathbf 1_m \\in \\R^{n}, \\qquad C_t = \\hat\\beta_{2t} C_{t-1} + (1 - \\hat\\beta_{2t})\\, \\mathbf 1_n^\\top (G_t^2) \\in \\R^{1 \\times m}'}
        label="AdaFactor's row and column statistics"
      />
      <Equation
        tex={'\\hat V_t = \\frac{R_t\\, C_t}{\\mathbf 1_n^\\top R_t} \\in \\R^{n \\times m}\\ (\\text{computed, never stored}), \\qquad W_t \\leftarrow W_{t-1} - \\alpha_t\\, \\frac{G_t}{\\sqrt{\\hat V_t}}'}
        label="AdaFactor's rank-one estimate and update"
      />
      {waiting !== null ? (
        <Notice kind="info">{waiting}</Notice>
      ) : !tensors || !summary ? (
        <Notice kind="info" testId="adafactor-needs-shapes">
          A bare parameter count has no matrix shapes. Pick a preset, the tiny GPT or a custom GPT to see what AdaFactor saves
          matrix by matrix.
        </Notice>
      ) : (
        <>
          <div className="table-scroll">
            <table className="stats-table mem-matrix-table" data-testid="matrix-table">
              <caption>
                {rows.length < kinds ? `The ${rows.length} largest kinds of matrix` : 'Every kind of matrix'} in {modelLabel}, largest
                first: second-moment numbers for one matrix under Adam and under AdaFactor
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
          </div>
          <p data-testid="adafactor-summary">
            The whole of {modelLabel}: Adam’s state (<M>{'m'}</M> and <M>{'v'}</M>) is{' '}
            <strong data-value={summary.adamState}>{formatExact(summary.adamState)}</strong> numbers; AdaFactor’s is{' '}
            <strong data-testid="adafactor-state" data-value={summary.adafactorState}>
              {formatExact(summary.adafactorState)}
            </strong>{' '}
            ({formatCount(summary.matrixFactored)} row and column sums for the matrices, {formatCount(summary.vectorEntries)} for
            the vectors), {formatShare(summary.adafactorState, summary.adamState)} of Adam’s. In FP32 that is{' '}
            {perParam.toFixed(perParam - 8 < 0.01 ? 4 : 2)} bytes per parameter against Adam’s 16 and SGD’s 8
            {perParam < 9 ? ': the optimiser state has almost disappeared, and θ and g account for nearly all the memory.' : '.'}
          </p>
        </>
      )}
      <div className="prose">
        <p>
          The saving comes with costs. Without momentum, and with a second moment that is only an estimate, the optimiser
          relies on its other parts (a decaying <M>{'\\hat\\beta_{2t}'}</M>, update clipping, step sizes relative to the
          weights’ scale) to stay stable. T5 was trained with it, but it can be difficult to get AdaFactor to train well.
        </p>
      </div>
    </section>
  );
});
