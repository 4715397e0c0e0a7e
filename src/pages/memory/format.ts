// Number formatting for the memory page: bytes in decimal (SI) units, counts
// with a short suffix, multiples of P. Anything not finite prints as a dash,
// so a bad value can never reach the screen as "NaN".

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const COUNT_UNITS = ['', 'k', 'M', 'B', 'T', 'Q'] as const;

/** Three significant digits: 1.31, 13.1, 131. */
function threeDigits(x: number): string {
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

/** `value` (>= 1000) as 3 significant digits of the largest unit it reaches; 999,999 becomes 1.00 of the next unit. */
function scaled(value: number, units: readonly string[], sep: string): string {
  let k = Math.min(units.length - 1, Math.floor(Math.log10(value) / 3));
  let text = threeDigits(value / 1000 ** k);
  if (Number(text) >= 1000 && k < units.length - 1) {
    k += 1;
    text = threeDigits(value / 1000 ** k);
  }
  return `${text}${sep}${units[k]}`;
}

/** Bytes in decimal units (1 GB = 10^9 bytes): 512 B, 1.31 MB, 2.79 TB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const whole = Math.round(bytes);
  if (whole < 1000) return `${whole} B`;
  return scaled(bytes, BYTE_UNITS, ' ');
}

/** A count with a suffix: 304, 110k, 335M, 175B. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  const whole = Math.round(n);
  if (whole < 1000) return String(whole);
  return scaled(n, COUNT_UNITS, '');
}

/** Exact, with thousands separators: 174,604,259,328. */
export function formatExact(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US');
}

/** A multiple of P: whole numbers as they are (16), others to 2 decimals (8.00 when just above 8). */
export function formatMultiple(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/** `part` as a percentage of `whole`: 25.0%, 0.05%, < 0.01%. */
export function formatShare(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) return '–';
  const pct = (100 * part) / whole;
  if (pct === 0) return '0%';
  if (pct < 0.01) return '< 0.01%';
  return `${pct < 10 ? pct.toFixed(2) : pct.toFixed(1)}%`;
}
