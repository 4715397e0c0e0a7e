import { M } from '../../components/Equation';
import { formatBytes, formatExact } from './format';
import { EVAL_BATCHES, type AccountKey, type WorkerAccount } from './workerAccount';
import { ScrollRegion } from '../../components/ScrollRegion';

/** One tf.memory() reading from the worker, tagged with the step and model it was taken at. */
export interface Reading {
  numTensors: number;
  numBytes: number;
  step: number;
  generation: number;
}

/** The worker's memory part by part, as predicted, against what tfjs reports. */
export function AccountTable({
  account,
  reading,
  workerParams,
  running,
  batch: B,
  context: T,
}: {
  account: WorkerAccount;
  reading: Reading | null;
  workerParams: number | null;
  running: boolean;
  batch: number;
  context: number;
}) {
  const rowLabel: Record<AccountKey, string> = {
    params: 'weights θ, FP32',
    m: 'Adam’s m, FP32',
    v: 'Adam’s v, FP32',
    evalBatches: `held-out batches: ${EVAL_BATCHES} × inputs and targets, int32 [${B}, ${T}]`,
    mask: `causal attention mask, FP32 [${T}, ${T}]`,
    constants: 'the optimiser’s constants: β₁, β₂, 1 − β₁, 1 − β₂ and the weight decay',
  };
  const diff = reading
    ? { bytes: reading.numBytes - account.total.bytes, tensors: reading.numTensors - account.total.tensors }
    : null;
  const row = (r: WorkerAccount['rows'][number]) => (
    <tr key={r.key}>
      <th scope="row">{rowLabel[r.key]}</th>
      <td className="mem-num">{r.tensors}</td>
      <td className="mem-num">{formatExact(r.bytes)}</td>
    </tr>
  );
  return (
    <>
      <p className="mem-summary">
        The shapes give <M>P</M> ={' '}
        <strong data-testid="tiny-params-predicted" data-value={account.parameterCount}>
          {formatExact(account.parameterCount)}
        </strong>
        {workerParams !== null && (
          <>
            ; the worker counted{' '}
            <span data-testid="tiny-params-worker" data-value={workerParams}>
              {formatExact(workerParams)}
            </span>
            {workerParams === account.parameterCount
              ? '.'
              : ', which is different: the shapes here no longer match the model code.'}
          </>
        )}
      </p>
      <ScrollRegion>
        <table className="stats-table mem-account" data-testid="mem-account">
          <caption>What the worker should hold between steps, and what TensorFlow.js reports</caption>
          <thead>
            <tr>
              <th scope="col">part</th>
              <th scope="col">tensors</th>
              <th scope="col">bytes</th>
            </tr>
          </thead>
          <tbody>
            {account.rows.slice(0, 3).map(row)}
            <tr className="mem-subtotal">
              <th scope="row">
                the lecture’s count without <M>g</M>: <M>{'3 \\times 4P'}</M>
              </th>
              <td className="mem-num">{account.rows[0].tensors * 3}</td>
              <td className="mem-num" data-testid="predicted-model-adam" data-value={account.modelAndAdam}>
                {formatExact(account.modelAndAdam)}
              </td>
            </tr>
            {account.rows.slice(3).map(row)}
            <tr className="mem-subtotal">
              <th scope="row">predicted, in all</th>
              <td className="mem-num" data-testid="predicted-tensors" data-value={account.total.tensors}>
                {account.total.tensors}
              </td>
              <td className="mem-num" data-testid="predicted-bytes" data-value={account.total.bytes}>
                {formatExact(account.total.bytes)}
              </td>
            </tr>
            <tr className="mem-measured">
              <th scope="row">
                TensorFlow.js reports{reading ? `, step ${reading.step}` : ''}
                {running ? ', while training' : ''}
              </th>
              <td className="mem-num" data-testid="tfjs-tensors" data-value={reading?.numTensors}>
                {reading ? reading.numTensors : '…'}
              </td>
              <td className="mem-num" data-testid="tfjs-bytes" data-value={reading?.numBytes}>
                {reading ? formatExact(reading.numBytes) : '…'}
              </td>
            </tr>
          </tbody>
        </table>
      </ScrollRegion>
      {reading && diff && (
        <p data-testid="mem-diff" data-bytes={diff.bytes}>
          {diff.bytes === 0 && diff.tensors === 0
            ? `Exactly as predicted: ${formatBytes(reading.numBytes)} in ${reading.numTensors} tensors.`
            : `${diff.bytes >= 0 ? 'More' : 'Less'} than predicted by ${formatExact(Math.abs(diff.bytes))} bytes and ${Math.abs(diff.tensors)} tensor(s). A reading taken while a step is finishing includes that step’s loss and gradient norm. It settles once the model is at rest.`}
        </p>
      )}
    </>
  );
}
