// Keyboard control of the page's main trainer: space = train/pause, s = step,
// r = reset. One trainer per page registers; keys typed into fields are ignored.
// Space also brings the page's main chart into view, so a presenter who has
// scrolled away sees what starts or stops.
import { useEffect, useRef } from 'react';
import { revealMainChart } from './MainDemo';

export interface ShortcutTarget {
  toggle(): void;
  step(): void;
  reset(): void;
}

let active: { current: ShortcutTarget } | null = null;

export function useTrainerShortcuts(target: ShortcutTarget) {
  const ref = useRef(target);
  ref.current = target;
  useEffect(() => {
    active = ref;
    return () => {
      if (active === ref) active = null;
    };
  }, []);
}

function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  // Buttons and selects handle space themselves; fields take letters.
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || tag === 'BUTTON' || el.isContentEditable;
}

/** Installed once by the app shell. Returns true when the key was handled. */
export function handleShortcut(e: KeyboardEvent): boolean {
  if (!active || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return false;
  const t = active.current;
  if (e.key === ' ') {
    t.toggle();
    revealMainChart();
  } else if (e.key === 's' || e.key === 'S') t.step();
  else if (e.key === 'r' || e.key === 'R') t.reset();
  else return false;
  e.preventDefault();
  return true;
}
