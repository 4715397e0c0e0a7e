import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

// The lecture's macros, so page TeX reads like the lecture's.
const MACROS = {
  '\\sV': '\\mathcal{V}',
  '\\sD': '\\mathcal{D}',
  '\\sO': '\\mathcal{O}',
  '\\R': '\\mathbb{R}',
  '\\softmax': '\\operatorname{softmax}',
  '\\nl': '\\textsf{#1}',
};

export function renderTex(tex: string, display: boolean): string {
  // throwOnError false renders a red .katex-error span instead of crashing the
  // page; the end-to-end tests fail if any such span appears.
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, macros: { ...MACROS }, strict: 'ignore' });
}

/** A KaTeX equation. TeX comes from page source, never from user input. */
export function Equation({ tex, display = true, label }: { tex: string; display?: boolean; label?: string }) {
  const html = useMemo(() => renderTex(tex, display), [tex, display]);
  const Tag = display ? 'div' : 'span';
  return <Tag className={display ? 'equation' : 'equation-inline'} aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** Inline math shorthand for prose. */
export function M({ children }: { children: string }) {
  return <Equation tex={children} display={false} />;
}
