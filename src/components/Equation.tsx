import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo, useRef, type RefObject } from 'react';
import { useFocusableWhenScrolling } from './ScrollRegion';

// The lecture's macros, so page TeX reads like the lecture's.
const MACROS = {
  '\\sV': '\\mathcal{V}',
  '\\sD': '\\mathcal{D}',
  '\\sO': '\\mathcal{O}',
  '\\R': '\\mathbb{R}',
  '\\softmax': '\\operatorname{softmax}',
  '\\nl': '\\textsf{#1}',
};

/**
 * A display equation is typeset in inline mode under \displaystyle: it looks
 * the same (limits above and below, full-size fractions), but KaTeX may break
 * the line after a top-level relation or binary operator, and we allow breaks
 * after each \qquad and after the commas of a token list. So on a phone a long
 * equation wraps instead of running off the side; only a single wide block (an
 * aligned or cases environment) still scrolls inside its box.
 */
export function wrappableDisplayTex(tex: string): string {
  const breaks = tex
    .replace(/\\qquad(?![a-zA-Z])/g, '\\qquad\\allowbreak ')
    // Token lists such as [\nl{[CLS]}, \nl{the}, ...] may break after a comma.
    .replace(/\},\s*\\nl\{/g, '},\\allowbreak \\nl{');
  return `\\displaystyle ${breaks}`;
}

export function renderTex(tex: string, display: boolean): string {
  // throwOnError false renders a red .katex-error span instead of crashing the
  // page; the end-to-end tests fail if any such span appears.
  const source = display ? wrappableDisplayTex(tex) : tex;
  return katex.renderToString(source, {
    displayMode: false,
    throwOnError: false,
    macros: { ...MACROS },
    strict: 'ignore',
  });
}

/** A KaTeX equation. TeX comes from page source, never from user input. */
export function Equation({ tex, display = true, label }: { tex: string; display?: boolean; label?: string }) {
  const html = useMemo(() => renderTex(tex, display), [tex, display]);
  // A display equation too wide for a phone scrolls inside its box (styles.css), so it takes focus while it does.
  const ref = useRef<HTMLElement>(null);
  useFocusableWhenScrolling(ref);
  const Tag = display ? 'div' : 'span';
  // A label needs a role to be announced (a plain div may not carry aria-label); a group keeps KaTeX's MathML readable.
  return (
    <Tag
      ref={ref as RefObject<HTMLDivElement>}
      className={display ? 'equation' : 'equation-inline'}
      role={label ? 'group' : undefined}
      aria-label={label}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

/** Inline math shorthand for prose. */
export function M({ children }: { children: string }) {
  return <Equation tex={children} display={false} />;
}
