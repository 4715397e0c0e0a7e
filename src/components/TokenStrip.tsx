import type { TokenScore } from '../train/contract';
import { useRovingPick } from './useRovingPick';

/** Maps -log p to a colour: 0 nats is calm, `scale` nats or more is hot. */
function heat(nll: number, scale: number): string {
  const t = Math.min(1, Math.max(0, nll / scale));
  const hue = 140 - 140 * t; // green -> red
  return `hsl(${hue.toFixed(0)} 70% 45% / ${(0.18 + 0.5 * t).toFixed(2)})`;
}

const shown = (text: string) => (text === ' ' ? '\u00a0' : text === '\n' ? '↵' : text);
const quoted = (text: string) => (text === ' ' ? 'space' : text === '\n' ? 'newline' : `“${text}”`);

/** What one token's readout says: its -log p and p, or that it was given. */
export function describeToken(t: TokenScore, i: number): string {
  if (t.nll === null) return `Token ${i + 1}, ${quoted(t.text)}: given (no prefix to predict it from).`;
  const p = Math.exp(-t.nll);
  const pText = p >= 0.001 ? `${(100 * p).toFixed(1)}%` : p.toExponential(1);
  return `Token ${i + 1}, ${quoted(t.text)}: −log p = ${t.nll.toFixed(3)} nats (p = ${pText}).`;
}

/**
 * Tokens coloured by -log p(x_i | x_{1:i-1}). Each token is a button: a click,
 * a tap or the arrow keys pick one and the line under the strip gives its
 * value, so phones and keyboards get what a mouse hover gives. Text is
 * rendered by React as text, never as HTML, so a pasted sentence cannot inject
 * markup.
 */
export function TokenStrip({
  tokens,
  scale,
  words = false,
}: {
  tokens: readonly TokenScore[];
  scale: number;
  words?: boolean;
}) {
  const roving = useRovingPick<HTMLDivElement>(tokens.length, '.token');
  const selected = roving.picked;

  return (
    <>
      <div
        ref={roving.container}
        className={`token-strip${words ? ' words' : ''}`}
        data-testid="token-strip"
        role="group"
        aria-label="Tokens coloured by −log p"
      >
        {tokens.map((t, i) => (
          <button
            type="button"
            key={i}
            className={`token${t.nll === null ? ' token-given' : ''}`}
            style={t.nll === null ? undefined : { background: heat(t.nll, scale) }}
            title={t.nll === null ? 'given (no context to predict it from)' : `-log p = ${t.nll.toFixed(3)} nats`}
            aria-pressed={selected === i}
            aria-label={describeToken(t, i)}
            tabIndex={roving.tabIndexOf(i)}
            data-nll={t.nll === null ? undefined : t.nll.toFixed(4)}
            onClick={() => roving.pick(i)}
            onKeyDown={(e) => roving.onKeyDown(e, i)}
          >
            {shown(t.text)}
          </button>
        ))}
      </div>
      <p className="token-readout" data-testid="token-readout" aria-live="polite">
        {selected === null
          ? 'Pick a token (tap, click or arrow keys) for its value.'
          : describeToken(tokens[selected], selected)}
      </p>
    </>
  );
}
