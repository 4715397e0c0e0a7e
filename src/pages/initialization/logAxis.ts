// A log-scale y axis for values that span decades (activation RMS growing
// 10^4-fold through a deep stack): a domain of whole decades and readable ticks.

/** [10^floor(log10 lo), 10^ceil(log10 hi)] over the finite positive values; at least one decade wide. */
export function logDomain(values: readonly number[]): [number, number] | null {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (pos.length === 0) return null;
  // The 1e-9 keeps an exact power of ten (1, 100) from opening an empty decade.
  const lo = Math.floor(Math.log10(Math.min(...pos)) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...pos)) - 1e-9));
  return [10 ** lo, 10 ** hi];
}

/** Every decade in the domain; within one or two decades also 2x and 5x. */
export function logTicks([lo, hi]: [number, number]): number[] {
  const a = Math.round(Math.log10(lo));
  const b = Math.round(Math.log10(hi));
  const fine = b - a <= 2;
  const ticks: number[] = [];
  for (let e = a; e <= b; e++) {
    for (const m of fine && e < b ? [1, 2, 5] : [1]) ticks.push(Number((m * 10 ** e).toPrecision(6)));
  }
  return ticks;
}

/** 0.01 .. 9999 in plain digits, other magnitudes as 1e5 or 2e-4. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e4 || Math.abs(v) < 0.01) {
    const [m, e] = v.toExponential(0).split('e');
    return `${m}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(3)));
}

/** A number for prose and tables: 3 significant digits, exponent form outside 0.01 .. 99999. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 0.01)) {
    const [m, e] = v.toExponential(2).split('e');
    return `${m}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(3)));
}
