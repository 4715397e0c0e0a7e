// Boxes that scroll sideways on a narrow screen (a wide table, a long
// equation) must be reachable by keyboard, or a keyboard user cannot see
// their right-hand side (WCAG 2.1.1; axe's scrollable-region-focusable).
// Making every such box a tab stop would add dozens of useless stops on a
// laptop, where nothing scrolls, so a box is focusable only while it
// actually overflows.
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

/**
 * Gives `ref`'s element tabIndex 0 while its content is wider than it, and
 * removes it when it fits. Measured only in ResizeObserver callbacks, which
 * run after layout: reading scrollWidth after every render forced a layout
 * of the page each time (the hook's top self time on the main thread in the
 * 4 s after Train, 26 ms, in a Chromium CPU profile of the decoder-only
 * page). The box and its children are observed, because the content can
 * grow without the box resizing (a table gaining a column), and children a
 * render replaces are observed anew.
 */
export function useFocusableWhenScrolling(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      // One pixel of slack: sub-pixel layout can make equal widths differ by a fraction.
      if (el.scrollWidth > el.clientWidth + 1) el.tabIndex = 0;
      else el.removeAttribute('tabindex');
    };
    if (typeof ResizeObserver === 'undefined') {
      const frame = requestAnimationFrame(update);
      return () => cancelAnimationFrame(frame);
    }
    const sizes = new ResizeObserver(update); // also calls back once for each element it starts observing
    const observeAll = () => {
      sizes.disconnect();
      sizes.observe(el);
      for (const child of Array.from(el.children)) sizes.observe(child);
    };
    observeAll();
    const children = new MutationObserver(observeAll);
    children.observe(el, { childList: true });
    return () => {
      children.disconnect();
      sizes.disconnect();
    };
  }, [ref]);
}

/** A box that scrolls sideways when its content (a table) is wider than the screen; `table-scroll` styles it. */
export function ScrollRegion({
  children,
  className = 'table-scroll',
  testId,
}: {
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useFocusableWhenScrolling(ref);
  return (
    <div ref={ref} className={className} data-testid={testId}>
      {children}
    </div>
  );
}
