import { GPT3_BATCH_RAMP_RANGE_TOKENS, GPT3_RECIPE } from '../../core';
import { formatTokens, type ToyRecipe } from './recipe';
import { ScrollRegion } from '../../components/ScrollRegion';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Each ingredient: GPT-3 175B's value (Brown et al. 2020) beside the toy's, derived by toyRecipe. */
export function RecipeTable({
  toy,
  lr,
  clip,
  weightDecay,
  contextLength,
}: {
  toy: ToyRecipe;
  lr: number;
  clip: number;
  weightDecay: number;
  contextLength: number;
}) {
  const r = GPT3_RECIPE;
  const g = toy.gpt3;
  const n = toy.steps;
  const B = toy.ramp.end;
  const rows: [string, string, string][] = [
    ['Optimiser', 'Adam, β₁ = 0.9, β₂ = 0.95, ε = 10⁻⁸', 'the same'],
    ['Gradient clipping', 'global norm at 1.0', `global norm at ${clip}`],
    ['Weight decay', '0.1, decoupled (AdamW)', `${weightDecay}, decoupled (AdamW)`],
    ['Peak learning rate', `${r.peakLr.toExponential(1)} (175B model)`, String(lr)],
    [
      'Batch size',
      `${formatTokens(r.batchEndTokens)} tokens = ${(r.batchEndTokens / r.contextTokens).toLocaleString('en-US')} sequences of ${int(r.contextTokens)}`,
      `${B} rows of ${contextLength} characters = ${int(toy.tokensPerStep)} tokens`,
    ],
    [
      'Batch ramp',
      `linear from ${formatTokens(r.batchStartTokens)} tokens (${pct(r.batchStartTokens / r.batchEndTokens)} of the final batch) over ${formatTokens(r.batchRampTokens)} tokens ≈ ${int(g.ramp)} steps (${pct(g.share.ramp)} of the steps)`,
      toy.ramp.rampTokens > 0
        ? `from ${toy.ramp.start} row${toy.ramp.start > 1 ? 's' : ''} (${pct(toy.ramp.start / B)}) over ${int(toy.ramp.rampTokens)} tokens = ${toy.rampSteps} steps (${pct(toy.rampSteps / n)})`
        : 'none: the run is too short for one ramp step',
    ],
    [
      'Warmup',
      `linear over ${formatTokens(r.warmupTokens)} tokens ≈ ${int(g.warmup)} steps (${pct(g.share.warmup)})`,
      `linear over ${toy.warmupSteps} steps (${pct(toy.warmupSteps / n)})`,
    ],
    [
      `Cosine decay to ${pct(r.minLrRatio)}`,
      `floor reached at ${formatTokens(r.decayTokens)} tokens ≈ ${int(g.decay)} steps (${pct(g.share.decay)}), then constant`,
      `floor reached at step ${toy.decaySteps} (${pct(toy.decaySteps / n)}), then constant`,
    ],
    ['Run length', `${formatTokens(r.totalTokens)} tokens ≈ ${int(g.total)} steps`, `${int(n)} steps`],
  ];
  return (
    <ScrollRegion>
      <table className="stats-table size-table" data-testid="recipe-table">
        <caption>
          GPT-3 175B against this page’s toy. Steps of GPT-3 are counted under its batch ramp (smaller batches early
          mean more steps per token); the toy takes the same share of its own steps.
        </caption>
        <thead>
          <tr>
            <th scope="col">Ingredient</th>
            <th scope="col">GPT-3</th>
            <th scope="col">Toy</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, orig, mine]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{orig}</td>
              <td>{mine}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        The paper gives the ramp length only as {formatTokens(GPT3_BATCH_RAMP_RANGE_TOKENS[0])}–
        {formatTokens(GPT3_BATCH_RAMP_RANGE_TOKENS[1])} tokens “depending on model size”;{' '}
        {formatTokens(r.batchRampTokens)} for the largest model is our assumption. Whether the{' '}
        {formatTokens(r.decayTokens)} tokens of decay include the warmup is not stated; we count them from the start.
      </p>
    </ScrollRegion>
  );
}
