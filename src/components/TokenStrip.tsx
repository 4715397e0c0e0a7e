import type { TokenScore } from '../train/protocol';

/** Maps -log p to a colour: 0 nats is calm, `scale` nats or more is hot. */
function heat(nll: number, scale: number): string {
  const t = Math.min(1, Math.max(0, nll / scale));
  const hue = 140 - 140 * t; // green -> red
  return `hsl(${hue.toFixed(0)} 70% 45% / ${(0.18 + 0.5 * t).toFixed(2)})`;
}

/**
 * Tokens coloured by -log p(x_i | x_{1:i-1}). Text is rendered by React as
 * text, never as HTML, so a pasted sentence cannot inject markup.
 */
export function TokenStrip({ tokens, scale, words = false }: { tokens: readonly TokenScore[]; scale: number; words?: boolean }) {
  return (
    <div className={`token-strip${words ? ' words' : ''}`} data-testid="token-strip">
      {tokens.map((t, i) => (
        <span
          key={i}
          className={`token${t.nll === null ? ' token-given' : ''}`}
          style={t.nll === null ? undefined : { background: heat(t.nll, scale) }}
          title={t.nll === null ? 'given (no context to predict it from)' : `-log p = ${t.nll.toFixed(3)} nats`}
          data-nll={t.nll === null ? undefined : t.nll.toFixed(4)}
        >
          {t.text === ' ' ? '\u00a0' : t.text === '\n' ? '↵' : t.text}
        </span>
      ))}
    </div>
  );
}
