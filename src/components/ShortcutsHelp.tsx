import { useEffect, useRef } from 'react';

/** The keys the notebook answers to, as the `?` overlay lists them. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Space', does: 'Train or pause the page’s main trainer (and bring its chart into view)' },
  { keys: 'S', does: 'Take one training step' },
  { keys: 'R', does: 'Reset the trainer' },
  { keys: 'P', does: 'Presenter mode on or off' },
  { keys: '?', does: 'Show this list' },
  { keys: 'Esc', does: 'Close this list, or the compute backend’s explanation' },
];

function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/**
 * `?` opens a list of the keyboard shortcuts: a modal <dialog>, so the
 * browser moves focus into it, keeps Tab inside it and closes it on Escape;
 * focus then goes back where it was. Not while typing in a field (a `?` there
 * is text). While it is open, the page's own keys are held back.
 */
export function ShortcutsHelp() {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const d = dialog.current;
      if (!d || d.open) return;
      e.preventDefault();
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const close = () => dialog.current?.close();
  const restoreFocus = () => {
    opener.current?.focus();
    opener.current = null;
  };

  return (
    <dialog
      ref={dialog}
      className="shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
      onClose={restoreFocus}
      // The page's keys (space, s, r, p) stay with the dialog while it is open.
      onKeyDown={(e) => e.stopPropagation()}
      onClick={(e) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === dialog.current) close();
      }}
    >
      <div className="shortcuts-box">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl className="shortcuts-list">
          {SHORTCUTS.map((s) => (
            <div key={s.keys}>
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">Space, S and R work on pages with a trainer, and not while you type in a field.</p>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}
