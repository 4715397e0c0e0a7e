// The FP16 explorer's text field: what the user typed to a number, or a message saying why not.

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INFINITE = /^([+-]?)(inf|infinity|∞)$/i;

export type ExplorerInput = { ok: true; value: number } | { ok: false; error: string };

/**
 * Accepts decimals and scientific notation (1e-7, -3.5, 65520), Infinity
 * (or inf, ∞) with a sign, and NaN. Anything else gets a message. Values too
 * large for a double become +/-Infinity, which is what they are in FP16 too.
 */
export function parseExplorerInput(raw: string): ExplorerInput {
  const t = raw.trim();
  if (t === '') return { ok: false, error: 'Type a number, e.g. 0.1, 1e-7 or 65520.' };
  const inf = INFINITE.exec(t);
  if (inf) return { ok: true, value: inf[1] === '-' ? -Infinity : Infinity };
  if (/^nan$/i.test(t)) return { ok: true, value: NaN };
  if (!DECIMAL.test(t))
    return {
      ok: false,
      error: 'Not a number: use digits, a decimal point and an optional exponent, like -3.5 or 1e-7.',
    };
  return { ok: true, value: Number(t) };
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
