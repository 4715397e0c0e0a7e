// The FP16 explorer's text field: what the user typed to a number, or a message saying why not.
import { readNumber } from '../../core';

const INFINITE = /^([+-]?)(inf|infinity|∞)$/i;

export type ExplorerInput = { ok: true; value: number } | { ok: false; error: string };

/**
 * Accepts decimals and scientific notation (1e-7, -3.5, 65520), Infinity
 * (or inf, ∞) with a sign, and NaN, through core's number rule otherwise
 * (hex refused; a decimal comma read as a point). Anything else gets a
 * message. Values too large for a double become +/-Infinity, which is what
 * they are in FP16 too; a nonzero value too small for a double (1e-400) is
 * refused rather than shown as 0, since the explorer would then explain 0,
 * not the number typed.
 */
export function parseExplorerInput(raw: string): ExplorerInput {
  const t = raw.trim();
  if (t === '') return { ok: false, error: 'Type a number, e.g. 0.1, 1e-7 or 65520.' };
  const inf = INFINITE.exec(t);
  if (inf) return { ok: true, value: inf[1] === '-' ? -Infinity : Infinity };
  if (/^nan$/i.test(t)) return { ok: true, value: NaN };
  const read = readNumber(t, 'The value');
  if (read.ok) return read;
  if (read.reason === 'infinite') return { ok: true, value: t.startsWith('-') ? -Infinity : Infinity };
  if (read.reason === 'underflow')
    return {
      ok: false,
      error: `${t} is too small for a 64-bit double, so it would be read as 0. FP16's smallest number is about 6e-8: anything below half of that rounds to 0 in FP16 already (try 1e-8).`,
    };
  return {
    ok: false,
    error: 'Not a number: use digits, a decimal point and an optional exponent, like -3.5 or 1e-7.',
  };
}

/** A number as the explorer prints it: up to 8 significant digits, exact small integers, signed zero and infinities spelled out. */
export function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+∞';
  if (x === -Infinity) return '−∞';
  if (Object.is(x, -0)) return '−0';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e9) return String(x);
  if (a >= 1e-4 && a < 1e9) return String(Number(x.toPrecision(8)));
  return x.toExponential(7).replace(/\.?0+e/, 'e');
}

/** A share in [0, 1] as a percentage; a nonzero share too small to print is not shown as 0. */
export function formatShare(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p === 0) return '0%';
  if (p < 0.0001) return '< 0.01%';
  return `${(100 * p).toFixed(p < 0.1 ? 2 : 1)}%`;
}
