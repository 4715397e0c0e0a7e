import { useMemo, useState } from 'react';
import {
  applyObjective,
  makeRng,
  noiseStats,
  readNumber,
  seedFor,
  OBJECTIVES,
  objectiveInfo,
  type ObjectiveId,
} from '../../core';
import { buildPassage, lengthProblem } from './passage';
import { NoiseLegend, OriginalRow, TokenRow } from './NoiseView';

const MAX_TOKENS = 300;
/** Room for MAX_TOKENS words; a longer text is refused before it is split. */
const MAX_CHARS = 3000;

export const DEFAULT_PASSAGE =
  'The mouse ate the cheese. It was full. The cat sat on the mat and watched the mouse. Then the cat ate the mouse.';

export function parseRate(raw: string): { value: number; error: null } | { value: null; error: string } {
  const read = readNumber(raw, 'The rate');
  if (!read.ok)
    return { value: null, error: read.reason === 'underflow' ? read.error : 'Enter a number between 0 and 1.' };
  const v = read.value;
  if (v < 0 || v > 1) return { value: null, error: 'The rate must be between 0 and 1.' };
  return { value: v, error: null };
}

export function parseSpan(
  raw: string,
  kind: 'poisson' | 'mean',
): { value: number; error: null } | { value: null; error: string } {
  const read = readNumber(raw, 'The span length');
  const min = kind === 'poisson' ? 0.1 : 1;
  if (!read.ok) return { value: null, error: read.reason === 'underflow' ? read.error : 'Enter a number.' };
  const v = read.value;
  if (v < min || v > 20) return { value: null, error: `Choose a value from ${min} to 20.` };
  return { value: v, error: null };
}

/**
 * One family's transformations (BART's or T5's) on a passage the user edits:
 * pick a transformation, set its rate and span length, and see the encoder's
 * input and the decoder's target with what changed highlighted, plus the
 * observed noise against the settings.
 */
export function NoiseDemo({
  family,
  idPrefix,
  initial,
  seed,
}: {
  family: 'BART' | 'T5';
  idPrefix: string;
  initial: ObjectiveId;
  seed: number;
}) {
  const [text, setText] = useState(DEFAULT_PASSAGE);
  const [objective, setObjective] = useState<ObjectiveId>(initial);
  const [rateRaw, setRateRaw] = useState(family === 'BART' ? '0.3' : '0.15');
  const [spanRaw, setSpanRaw] = useState('3');
  const [draw, setDraw] = useState(0);
  // The story of the token picked last (what it replaced or hides), kept with the draw it belongs to.
  const [picked, setPicked] = useState<{ of: unknown; story: string } | null>(null);
  const info = objectiveInfo(objective);
  const tooLong = lengthProblem(text, MAX_CHARS, 'passage');
  const passage = useMemo(() => buildPassage(tooLong ? '' : text), [text, tooLong]);
  const tokenCount = passage.doc.reduce((n, s) => n + s.length, 0);
  const textError = tooLong
    ? tooLong
    : tokenCount < 2
      ? 'Type a passage of at least two words.'
      : tokenCount > MAX_TOKENS
        ? `Keep the passage under ${MAX_TOKENS} tokens (it has ${tokenCount}).`
        : null;
  const rate = parseRate(rateRaw);
  const span = info.span ? parseSpan(spanRaw, info.span) : { value: 3, error: null };
  const ready = !textError && (!info.usesRate || rate.error === null) && span.error === null;
  const result = useMemo(() => {
    if (!ready) return null;
    try {
      return applyObjective(
        objective,
        passage.doc,
        { rate: rate.value ?? 0, span: span.value ?? 3 },
        passage.ids,
        makeRng(seedFor(seed, 'noiseDraw', draw)),
      );
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }, [ready, objective, passage, rate.value, span.value, seed, draw]);
  const story = picked && picked.of === result ? picked.story : null;
  const setStory = (text: string) => setPicked({ of: result, story: text });
  const original = useMemo(() => passage.doc.flat().map((id) => passage.vocab[id]), [passage]);
  const stats = result && typeof result !== 'string' ? noiseStats(result) : null;
  const fmtPct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const choices = OBJECTIVES.filter((o) => o.family === family);
  return (
    <div className="panel noise-demo" data-testid={`${idPrefix}-demo`}>
      <div className="field">
        <label htmlFor={`${idPrefix}-text`}>Passage</label>
        <textarea
          id={`${idPrefix}-text`}
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? `${idPrefix}-text-error` : undefined}
        />
        {textError && (
          <small id={`${idPrefix}-text-error`} className="field-error" role="alert">
            {textError}
          </small>
        )}
      </div>
      <fieldset className="choice-row">
        <legend>Transformation</legend>
        {choices.map((o) => (
          <label key={o.id} className="choice">
            <input
              type="radio"
              name={`${idPrefix}-objective`}
              value={o.id}
              checked={objective === o.id}
              onChange={() => setObjective(o.id)}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
      <div className="inline-form">
        {info.usesRate && (
          <div className={`field${rate.error ? ' has-error' : ''}`}>
            <label htmlFor={`${idPrefix}-rate`}>Corruption rate</label>
            <input
              id={`${idPrefix}-rate`}
              type="text"
              inputMode="decimal"
              value={rateRaw}
              onChange={(e) => setRateRaw(e.target.value)}
              aria-invalid={rate.error ? true : undefined}
              aria-describedby={rate.error ? `${idPrefix}-rate-error` : undefined}
            />
            {rate.error && (
              <small id={`${idPrefix}-rate-error`} className="field-error" role="alert">
                {rate.error}
              </small>
            )}
          </div>
        )}
        {info.span && (
          <div className={`field${span.error ? ' has-error' : ''}`}>
            <label htmlFor={`${idPrefix}-span`}>
              {info.span === 'poisson' ? 'Span length λ (Poisson)' : 'Mean span length'}
            </label>
            <input
              id={`${idPrefix}-span`}
              type="text"
              inputMode="decimal"
              value={spanRaw}
              onChange={(e) => setSpanRaw(e.target.value)}
              aria-invalid={span.error ? true : undefined}
              aria-describedby={span.error ? `${idPrefix}-span-error` : undefined}
            />
            {span.error && (
              <small id={`${idPrefix}-span-error`} className="field-error" role="alert">
                {span.error}
              </small>
            )}
          </div>
        )}
        {family === 'BART' && (
          <button type="button" onClick={() => setObjective('bart-final')}>
            BART’s final choice
          </button>
        )}
        <button type="button" onClick={() => setDraw((d) => d + 1)} disabled={!ready}>
          New draw
        </button>
      </div>
      {typeof result === 'string' && (
        <p className="field-error" role="alert">
          {result}
        </p>
      )}
      {result && typeof result !== 'string' && stats && (
        <>
          <div className="mask-rows">
            <OriginalRow result={result} original={original} />
            <TokenRow
              label="encoder input"
              tokens={result.inputTokens}
              vocab={passage.vocab}
              original={original}
              testId={`${idPrefix}-input`}
              onPick={setStory}
            />
            <TokenRow
              label="decoder target"
              tokens={result.targetTokens}
              vocab={passage.vocab}
              original={original}
              testId={`${idPrefix}-target`}
              onPick={setStory}
            />
          </div>
          <p className="token-readout" data-testid={`${idPrefix}-story`} aria-live="polite">
            {story ?? 'Pick a token of the input or the target for its story.'}
          </p>
          <NoiseLegend />
          <p
            className="muted"
            data-testid={`${idPrefix}-stats`}
            data-noise={stats.noiseFraction}
            data-spans={stats.spanLengths.join(',')}
          >
            Observed: {stats.corrupted} of {stats.sourceLength} tokens corrupted ({fmtPct(stats.noiseFraction)}
            {info.usesRate && rate.value !== null ? ` against a rate of ${fmtPct(rate.value)}` : ''})
            {stats.spanLengths.length > 0 &&
              `; spans of length ${stats.spanLengths.join(', ')} (mean ${stats.meanSpanLength!.toFixed(2)}${info.span && span.value !== null ? `, setting ${span.value}` : ''})`}
            {stats.moved > 0 && `; ${stats.moved} tokens moved`}
            {stats.insertions > 0 && `; ${stats.insertions} mask(s) inserted where nothing was removed`}. A short
            passage rarely hits the rate exactly; press New draw to see the spread.
          </p>
        </>
      )}
    </div>
  );
}
