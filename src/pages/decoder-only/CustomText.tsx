import { useState } from 'react';
import { MAX_USER_TEXT_BYTES, splitHeldOut, validateUserFile, validateUserText } from '../../core/text/userText';

export interface CustomTextValue {
  train: string;
  heldOut: string;
  /** Where the text came from, for display. */
  origin: string;
}

/**
 * Paste text or load a .txt file to train on. The text is only ever shown as
 * text (React escapes it); bad input gets a message beside the field.
 */
export function CustomText({
  value,
  onChange,
}: {
  value: CustomTextValue | null;
  onChange(v: CustomTextValue | null): void;
}) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const accept = (text: string, origin: string) => {
    const check = validateUserText(text);
    if (!check.ok) {
      setError(check.error);
      return;
    }
    setError(null);
    const { train, heldOut } = splitHeldOut(check.text);
    onChange({ train, heldOut, origin });
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const bytes = new Uint8Array(await file.slice(0, MAX_USER_TEXT_BYTES + 1).arrayBuffer());
    const check = validateUserFile(file.name, file.size, bytes);
    if (!check.ok) {
      setError(check.error);
      return;
    }
    setDraft(check.text.slice(0, 5000));
    accept(check.text, file.name);
  };

  return (
    <div className={`panel custom-text${error ? ' has-error' : ''}`}>
      <label htmlFor="custom-text">Your training text</label>
      <textarea
        id="custom-text"
        rows={5}
        value={draft}
        placeholder="Paste a few paragraphs (at least 200 characters) and press Use this text."
        onChange={(e) => setDraft(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'custom-text-error' : undefined}
      />
      <div className="row">
        <button type="button" onClick={() => accept(draft, 'pasted text')}>
          Use this text
        </button>
        <label className="file-button">
          Load a .txt file
          <input type="file" accept=".txt,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} />
        </label>
      </div>
      {error && (
        <small id="custom-text-error" className="field-error" role="alert">
          {error}
        </small>
      )}
      {value && !error && (
        <p className="muted" data-testid="custom-text-status">
          Training on {value.origin}: {value.train.length.toLocaleString('en-US')} characters, with{' '}
          {value.heldOut.length.toLocaleString('en-US')} held out.
        </p>
      )}
    </div>
  );
}
