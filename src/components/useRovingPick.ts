// Picking one item of a row of small buttons (tokens) with the mouse, a tap or
// the keyboard. The row is one tab stop (roving tabindex): Tab enters at the
// picked item, the arrow keys, Home and End move the pick and the focus.
import { useRef, useState, type KeyboardEvent, type RefObject } from 'react';

export interface RovingPick<E extends HTMLElement> {
  /** The picked index, or null (also when the row has become shorter than the pick). */
  picked: number | null;
  pick(i: number): void;
  /** Attach to the element that holds the items. */
  container: RefObject<E | null>;
  tabIndexOf(i: number): 0 | -1;
  onKeyDown(e: KeyboardEvent, i: number): void;
}

/** `count` items, each found in the container by `itemSelector`. */
export function useRovingPick<E extends HTMLElement>(count: number, itemSelector: string): RovingPick<E> {
  const [raw, setRaw] = useState<number | null>(null);
  const container = useRef<E>(null);
  const picked = raw !== null && raw < count ? raw : null;
  const tabStop = picked ?? 0;
  const onKeyDown = (e: KeyboardEvent, from: number) => {
    const to = { ArrowLeft: from - 1, ArrowRight: from + 1, Home: 0, End: count - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = Math.min(count - 1, Math.max(0, to));
    setRaw(next);
    container.current?.querySelectorAll<HTMLElement>(itemSelector)[next]?.focus();
  };
  return { picked, pick: setRaw, container, tabIndexOf: (i) => (i === tabStop ? 0 : -1), onKeyDown };
}
