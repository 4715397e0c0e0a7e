// AdaFactor's saving, matrix by matrix: an [n, m] matrix keeps n x m second
// moments under Adam but only n + m row and column statistics under AdaFactor.
import { countParameters, optimizerStateValues, type ParameterTensor } from '../../core/optim';

export interface MatrixRow {
  name: string;
  n: number;
  m: number;
  /** How many matrices of this shape the model has (one per layer, say). */
  count: number;
  /** n x m: second moments of one such matrix under Adam. */
  full: number;
  /** n + m: AdaFactor's row and column statistics for it. */
  factored: number;
}

/** The model's matrices, largest first (ties by name), at most `limit` of them. */
export function largestMatrices(tensors: readonly ParameterTensor[], limit: number): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const t of tensors) {
    if (t.shape.length !== 2) continue;
    const [n, m] = t.shape;
    rows.push({ name: t.name, n, m, count: t.count, full: n * m, factored: n + m });
  }
  rows.sort((a, b) => b.full - a.full || a.name.localeCompare(b.name));
  return rows.slice(0, Math.max(0, limit));
}

export interface SecondMomentSummary {
  parameterCount: number;
  /** Adam's optimiser state: m and v, 2P numbers. */
  adamState: number;
  /** AdaFactor's state: n + m per matrix, n per vector (vectors are kept whole), no momentum. */
  adafactorState: number;
  /** All matrices' n x m, summed with their counts. */
  matrixFull: number;
  /** All matrices' n + m, summed with their counts. */
  matrixFactored: number;
  /** Entries of vectors (biases, norm gains): kept whole by both. */
  vectorEntries: number;
}

export function secondMoments(tensors: readonly ParameterTensor[]): SecondMomentSummary {
  let matrixFull = 0;
  let matrixFactored = 0;
  let vectorEntries = 0;
  for (const t of tensors) {
    if (t.shape.length === 2) {
      matrixFull += t.count * t.shape[0] * t.shape[1];
      matrixFactored += t.count * (t.shape[0] + t.shape[1]);
    } else {
      vectorEntries += t.count * t.shape[0];
    }
  }
  return {
    parameterCount: countParameters(tensors),
    adamState: optimizerStateValues(tensors, 'adam'),
    adafactorState: optimizerStateValues(tensors, 'adafactor'),
    matrixFull,
    matrixFactored,
    vectorEntries,
  };
}
