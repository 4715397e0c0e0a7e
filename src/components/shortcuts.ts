// Keyboard control of the page's main trainer: space = train/pause, s = step,
// r = reset. One trainer per page registers (a second one passes null, so it
// never takes the keys from the first); keys typed into fields are ignored. The
// target's actions do what its buttons do, and nothing when its button is
// disabled (an invalid form, a model still being built).
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

/** Registers `target` for the keys while mounted; null registers nothing. */
export function useTrainerShortcuts(target: ShortcutTarget | null) {
  const ref = useRef<ShortcutTarget>(target ?? IGNORED);
  ref.current = target ?? IGNORED;
  const enabled = target !== null;
  useEffect(() => {
    if (!enabled) return;
    active = ref;
    return () => {
      if (active === ref) active = null;
    };
  }, [enabled]);
}

const IGNORED: ShortcutTarget = { toggle() {}, step() {}, reset() {} };

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
