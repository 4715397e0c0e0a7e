// The step budget in the pages' cross checks: a form's values become the run
// they describe, priced by core's estimate (through the contract's
// runBudgetProblem, the check the worker repeats), and a run too large for a
// tab gets its message beside a field. parseParams applies cross checks to
// links too, so such a link opens the page with the field's default and an
// "Ignored … from the link" notice.
import { runBudgetProblem, type DataSource, type RunSpec } from '../train/contract';

/**
 * Stands in for a page's training text while a run is priced: only its kind
 * matters (a corpus's character vocabulary is priced at its bound); it is
 * never fetched.
 */
export const PRICED_DATA: DataSource = { kind: 'corpus', name: 'brown', url: 'about:blank' };

/** `{ [key]: message }` when the first of `runs` that does not fit the budget exists, else `{}`. */
export function budgetRule(key: string, ...runs: RunSpec[]): Record<string, string> {
  for (const run of runs) {
    const problem = runBudgetProblem(run);
    if (problem !== null) return { [key]: problem };
  }
  return {};
}
