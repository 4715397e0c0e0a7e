import { useMemo } from 'react';
import { GPT3_RECIPE, gpt3BatchRamp, scaledGpt3Recipe } from '../../core';
import { formatTokens, stepsForTokens, type ToyRecipe } from './recipe';

/** Why the toy keeps shares of steps: dividing every token count by one factor keeps GPT-3's step count. */
export function ScaleNote({ toy }: { toy: ToyRecipe }) {
  const s = useMemo(() => {
    const factor = GPT3_RECIPE.batchEndTokens / toy.tokensPerStep;
    const r = scaledGpt3Recipe(factor);
    return { factor, r, steps: stepsForTokens(r.totalTokens, gpt3BatchRamp(r)) };
  }, [toy.tokensPerStep]);
  const rowTokens = toy.tokensPerStep / toy.ramp.end;
  const int = (n: number) => Math.round(n).toLocaleString('en-US');
  return (
    <p className="prose muted" data-testid="scale-note">
      Why not scale the tokens? Dividing every token count by {int(s.factor)} turns GPT-3’s final batch into the toy’s{' '}
      {int(toy.tokensPerStep)} tokens, but the ramp would then start at {int(s.r.batchStartTokens)} token
      {s.r.batchStartTokens === 1 ? '' : 's'}
      {s.r.batchStartTokens < rowTokens ? ` (less than one row of ${rowTokens})` : ''}, the warmup would last{' '}
      {formatTokens(s.r.warmupTokens)} tokens, and the run would still take {int(s.steps)} steps: shrinking batches and
      token counts together leaves the number of steps unchanged.
    </p>
  );
}
