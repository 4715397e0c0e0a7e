import { useCallback, useEffect, useRef, useState } from 'react';
import {
  MAX_USER_TEXT_BYTES,
  userTextMinimum,
  userTextProblem,
  type MeasuredCheck,
  type MeasuredUserText,
  type TokenizerKind,
} from '../../core/text/userText';
import { useTextCheck, type TextCheckInput } from './useTextCheck';

export interface CustomTextValue extends MeasuredUserText {
  /** Where the text came from, for display. */
  origin: string;
}

/** How long typing must pause before the draft is checked. */
const CHECK_DELAY_MS = 300;
/** Characters of a loaded file or a large paste shown in the box. */
const PREVIEW_CHARS = 5000;
/**
 * A paste longer than this is kept out of the box (which shows its start):
 * laying out megabytes in a textarea blocks the page for seconds.
 */
const LARGE_PASTE = 50_000;

/** The latest check: of what the user typed (`draft`), or of a loaded file. */
type Checked = { source: 'typed'; draft: string; result: MeasuredCheck } | { source: 'file'; result: MeasuredCheck };

/**
 * Paste text or load a .txt file to train on. The text is only ever shown as
 * text (React escapes it). It is checked where it is typed, off the main
 * thread (core's checkUserInput in a small worker), with the rule the
 * training worker applies: enough tokens of the chosen tokenizer for the
 * context length in both the training part and the held-out tenth. Bad input
 * gets a message beside the field.
 */
export function CustomText({
  value,
  onChange,
  tokenizer,
  contextLength,
}: {
  value: CustomTextValue | null;
  onChange(v: CustomTextValue | null): void;
  tokenizer: TokenizerKind;
  contextLength: number;
}) {
  const check = useTextCheck();
  /** What the box shows. */
  const [draft, setDraft] = useState('');
  /** The box holds what the user typed (a file's preview is not checked again). */
  const [typed, setTyped] = useState(false);
  /** A large paste, kept out of the box; the box shows its start, read-only. */
  const [held, setHeld] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [checking, setChecking] = useState(false);
  const latest = useRef(0);

  /** Runs a check; resolves null when a newer one has started since. */
  const runCheck = useCallback(
    async (input: TextCheckInput): Promise<MeasuredCheck | null> => {
      const id = ++latest.current;
      setChecking(true);
      const result = await check(input);
      if (id !== latest.current) return null;
      setChecking(false);
      return result;
    },
    [check],
  );

  /** The text Use this text would train on. */
  const text = held ?? draft;

  // Check what is typed once typing pauses (a large paste at once), so the message is there before Use this text.
  useEffect(() => {
    if ((!typed && held === null) || text.trim() === '') return;
    const timer = setTimeout(
      () => {
        void runCheck({ kind: 'text', text }).then((result) => {
          if (result) setChecked({ source: 'typed', draft: text, result });
        });
      },
      held === null ? CHECK_DELAY_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [text, typed, held, runCheck]);

  /** New text in the box: a large one is held aside and only its start shown. */
  const take = (value: string) => {
    if (value.length > LARGE_PASTE) {
      setHeld(value);
      setDraft(value.slice(0, PREVIEW_CHARS));
      setTyped(false);
    } else {
      setHeld(null);
      setDraft(value);
      setTyped(true);
    }
  };

  const problemOf = (result: MeasuredCheck) =>
    result.ok ? userTextProblem(result.value, tokenizer, contextLength) : result.error;

  const apply = (result: MeasuredCheck, origin: string) => {
    if (result.ok && problemOf(result) === null) onChange({ ...result.value, origin });
  };

  const use = async () => {
    const result =
      checked?.source === 'typed' && checked.draft === text ? checked.result : await runCheck({ kind: 'text', text });
    if (!result) return;
    setChecked({ source: 'typed', draft: text, result });
    apply(result, 'pasted text');
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const bytes = new Uint8Array(await file.slice(0, MAX_USER_TEXT_BYTES + 1).arrayBuffer());
    const result = await runCheck({ kind: 'file', name: file.name, size: file.size, bytes });
    if (!result) return;
    setTyped(false);
    setHeld(null);
    if (result.ok) setDraft(result.value.train.slice(0, PREVIEW_CHARS));
    setChecked({ source: 'file', result });
    apply(result, file.name);
  };

  // A check of an older draft says nothing about this one.
  const current = checked && (checked.source === 'file' || checked.draft === text) ? checked : null;
  const error = checking
    ? null
    : current
      ? problemOf(current.result)
      : value
        ? userTextProblem(value, tokenizer, contextLength)
        : null;
  const minimum = userTextMinimum(tokenizer, contextLength).toLocaleString('en-US');

  return (
    <div className={`panel custom-text${error ? ' has-error' : ''}`}>
      <label htmlFor="custom-text">Your training text</label>
      <textarea
        id="custom-text"
        rows={5}
        value={draft}
        placeholder={`Paste a few paragraphs (at least about ${minimum} characters for a context of ${contextLength} ${tokenizer === 'char' ? 'characters' : 'words'}) and press Use this text.`}
        readOnly={held !== null}
        onPaste={(e) => {
          const pasted = e.clipboardData.getData('text/plain');
          // The browser would lay the whole paste out in the box first; a large one replaces the text instead.
          if (pasted.length > LARGE_PASTE) {
            e.preventDefault();
            take(pasted);
          }
        }}
        onChange={(e) => take(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'custom-text-error' : undefined}
      />
      {held !== null && (
        <p className="muted" data-testid="custom-text-held">
          The box shows the first {PREVIEW_CHARS.toLocaleString('en-US')} of the {held.length.toLocaleString('en-US')}{' '}
          characters you pasted.{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setHeld(null);
              setDraft('');
              setChecked(null);
            }}
          >
            Clear
          </button>
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => void use()}>
          Use this text
        </button>
        <label className="file-button">
          Load a .txt file
          <input type="file" accept=".txt,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} />
        </label>
      </div>
      {checking && (
        <p className="muted" role="status" data-testid="custom-text-checking">
          Checking the text…
        </p>
      )}
      {error && (
        <small id="custom-text-error" className="field-error" role="alert">
          {error}
        </small>
      )}
      {value && !error && !checking && (
        <p className="muted" data-testid="custom-text-status">
          Training on {value.origin}: {value.train.length.toLocaleString('en-US')} characters, with{' '}
          {value.heldOut.length.toLocaleString('en-US')} held out
          {tokenizer === 'word' &&
            ` (${value.tokens.word.train.toLocaleString('en-US')} and ${value.tokens.word.heldOut.toLocaleString('en-US')} words)`}
          .
        </p>
      )}
    </div>
  );
}
