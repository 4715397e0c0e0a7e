// When an arm has blown up. Which arms a blow-up stops is the task's policy
// (Task.divergence); the test itself is the same for every task.

/** With Adam and layer norm a far too large rate sends the loss to the hundreds long before it overflows. */
export const DIVERGED_FACTOR = 3;

/** A loss that is not finite, or DIVERGED_FACTOR times the untrained model's held-out loss `start`. */
export function divergedLoss(loss: number, start: number | null): boolean {
  return !Number.isFinite(loss) || (start !== null && loss > DIVERGED_FACTOR * start);
}
