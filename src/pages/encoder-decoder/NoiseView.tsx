import type { NoisedToken, NoisingResult } from '../../core';
import { useRovingPick } from '../../components/useRovingPick';

const KIND_TEXT: Record<NoisedToken['kind'], string> = {
  kept: 'unchanged',
  moved: 'moved',
  mask: 'mask',
  random: 'random word',
  sentinel: 'sentinel',
};

function describe(t: NoisedToken, original: readonly string[]): string {
  if (t.covers !== undefined) {
    return t.covers.length === 0
      ? `${KIND_TEXT[t.kind]} inserted, hides nothing`
      : `${KIND_TEXT[t.kind]} for “${t.covers.map((i) => original[i]).join(' ')}”`;
  }
  if (t.source !== null && t.kind !== 'kept')
    return `${KIND_TEXT[t.kind]} (was “${original[t.source]}”, position ${t.source})`;
  return t.source !== null ? `position ${t.source}` : KIND_TEXT[t.kind];
}

/**
 * One token row: each token coloured by what happened to it. Each token is a
 * button; picking it (click, tap, arrow keys) tells its story through onPick.
 * Text is rendered as text, never HTML.
 */
export function TokenRow({
  label,
  tokens,
  vocab,
  original,
  testId,
  onPick,
}: {
  label: string;
  tokens: readonly NoisedToken[];
  vocab: readonly string[];
  original: readonly string[];
  testId: string;
  onPick: (story: string) => void;
}) {
  const roving = useRovingPick<HTMLDivElement>(tokens.length, '.bert-token');
  const storyOf = (t: NoisedToken, i: number) => `${label}, token ${i + 1}, “${vocab[t.id]}”: ${describe(t, original)}`;
  const show = (t: NoisedToken, i: number) => {
    roving.pick(i);
    onPick(storyOf(t, i));
  };
  return (
    <div ref={roving.container} className="mask-row" data-testid={testId} role="group" aria-label={label}>
      <span className="row-label wide">{label}</span>
      {tokens.map((t, i) => (
        <button
          type="button"
          key={i}
          className={`bert-token noise-${t.kind}`}
          data-kind={t.kind}
          title={describe(t, original)}
          aria-label={storyOf(t, i)}
          tabIndex={roving.tabIndexOf(i)}
          // A click, a tap or the keyboard's focus (Tab, arrows) picks the token.
          onClick={() => show(t, i)}
          onFocus={() => show(t, i)}
          onKeyDown={(e) => roving.onKeyDown(e, i)}
        >
          {vocab[t.id]}
          {t.covers !== undefined && t.covers.length > 0 && <sub className="covers">{t.covers.length}</sub>}
        </button>
      ))}
    </div>
  );
}

/** The original text with what the encoder no longer sees struck through. */
export function OriginalRow({ result, original }: { result: NoisingResult; original: readonly string[] }) {
  const removed = new Set(result.removed);
  const replaced = new Set(
    result.inputTokens
      .filter((t) => t.source !== null && (t.kind === 'mask' || t.kind === 'random'))
      .map((t) => t.source!),
  );
  return (
    <div className="mask-row" data-testid="noise-original" aria-label="original">
      <span className="row-label wide">original</span>
      {original.map((w, i) => (
        <span
          key={i}
          className={`bert-token${removed.has(i) ? ' noise-removed' : replaced.has(i) ? ' noise-replaced' : ''}`}
          title={removed.has(i) ? 'not in the input' : replaced.has(i) ? 'replaced in the input' : undefined}
        >
          {w}
        </span>
      ))}
    </div>
  );
}

export function NoiseLegend() {
  return (
    <p className="legend-row muted">
      <span className="bert-token noise-mask">mask</span> <span className="bert-token noise-sentinel">sentinel</span>{' '}
      <span className="bert-token noise-random">random</span> <span className="bert-token noise-moved">moved</span>{' '}
      <span className="bert-token noise-removed">removed</span>; a small number counts the tokens a span mask or
      sentinel hides. Pick a token of the input or the target (tap, click or arrow keys) for its story.
    </p>
  );
}
