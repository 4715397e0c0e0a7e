// Powers of two written the way a reader expects beside typeset equations,
// 2⁻²⁵ rather than 2^-25, in plain text (legends, SVG labels, table cells).

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};

/** An integer exponent in superscript characters, e.g. -25 as ⁻²⁵; null for anything else (there is no superscript point). */
export function superscript(n: number): string | null {
  if (!Number.isInteger(n)) return null;
  return String(n)
    .split('')
    .map((c) => SUPERSCRIPT[c])
    .join('');
}

/** 2 to a power, e.g. pow2(-25) is "2⁻²⁵"; a fractional power (never expected here) falls back to "2^1.5". */
export function pow2(k: number): string {
  const sup = superscript(k);
  return sup === null ? `2^${k}` : `2${sup}`;
}
