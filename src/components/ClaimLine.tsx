import { memo } from 'react';
import { claimShownAt, readClaim, type Claim, type ClaimData } from '../core/claims';
import './claim.css';

/**
 * A comparison demo's "what to look for" line, above its chart: the claim in
 * one sentence, then where the run stands on it. The moment the margin
 * reaches the claim's showMargin it says so, with the step and both numbers.
 */
export const ClaimLine = memo(function ClaimLine({
  claim,
  labels,
  data,
}: {
  claim: Claim;
  /** The run's arm labels, by arm index. */
  labels: readonly string[];
  data: ClaimData;
}) {
  const shown = claimShownAt(claim, data);
  const lastStep = claim.source.kind === 'eval' ? (data.evals.at(-1)?.step ?? 0) : (data.points.at(-1)?.step ?? 0);
  const atClaim = readClaim(claim, data);
  const winner = labels[claim.winner] ?? `arm ${claim.winner + 1}`;
  const loser = labels[claim.loser] ?? `arm ${claim.loser + 1}`;
  const num = (x: number) => (Number.isFinite(x) ? x.toFixed(claim.digits) : 'diverged');
  let status: string;
  let state: 'waiting' | 'shown' | 'not-shown';
  if (shown) {
    state = 'shown';
    status = `✓ Shown at step ${shown.step}: ${winner} ${num(shown.winner)}, ${loser} ${num(shown.loser)} (${claim.metricLabel}).`;
  } else if (atClaim && lastStep >= claim.step) {
    state = 'not-shown';
    status = `Not shown by step ${claim.step} with these settings: ${winner} ${num(atClaim.winner)}, ${loser} ${num(atClaim.loser)} (${claim.metricLabel}).`;
  } else {
    state = 'waiting';
    status = `Watch ${winner} against ${loser} (${claim.metricLabel}); at the page’s default settings it shows by step ${claim.step}.`;
  }
  return (
    <div className="claim-line" data-testid="claim-line" data-state={state}>
      <p>
        <strong>What to look for:</strong> {claim.lookFor}
      </p>
      <p className={state === 'shown' ? 'claim-shown' : 'muted'} data-testid="claim-status" role="status">
        {status}
      </p>
    </div>
  );
});
