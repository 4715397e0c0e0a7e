// fast-check arbitraries for hostile links: values a hand-edited, truncated or
// malicious URL may carry for a page's parameter table, and whole query
// strings built from them (the table's keys and others, repeated keys, raw
// and percent-encoded). Used by params.fuzz.test.ts and e2e/fuzz.spec.ts.
import fc from 'fast-check';
import type { ParamSpec, ParamTable } from '../core/params';

/** What the injection payloads set if any of them ever ran. */
export const PWNED_FLAG = '__pwned';

/** Strings that try to run script where a value is shown (a notice, an input, the title). */
export const INJECTIONS: readonly string[] = [
  `<script>window.${PWNED_FLAG}=1</script>`,
  `"><script>window.${PWNED_FLAG}=1</script>`,
  `<img src=x onerror="window.${PWNED_FLAG}=1">`,
  `<svg onload=window.${PWNED_FLAG}=1>`,
  `javascript:window.${PWNED_FLAG}=1`,
  `'-window.${PWNED_FLAG}=1-'`,
  `{{constructor.constructor('window.${PWNED_FLAG}=1')()}}`,
  `\${window.${PWNED_FLAG}=1}`,
  `<a href="javascript:window.${PWNED_FLAG}=1">x</a>`,
  `<iframe srcdoc="<script>parent.${PWNED_FLAG}=1</script>">`,
];

/**
 * Values that are never a valid number, whatever the row's range: other
 * notations (hex, octal, binary, digit separators, other scripts' digits),
 * non-finite numbers, overflow and underflow, half-written numbers, control
 * characters.
 */
export const NOT_NUMBERS: readonly string[] = [
  '',
  ' ',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '+Infinity',
  '1e400',
  '-1e400',
  '1e309',
  '1e-400', // Number() reads it as 0; readNumber refuses it
  '-5e-324e-1',
  '0x10',
  '0X1f',
  '0b101',
  '0o17',
  '1_000',
  '1,000', // a thousands separator or a decimal comma: refused (1,5 is read as 1.5)
  '1,000,000',
  '1,000.5',
  '1.2.3',
  '12abc',
  'abc12',
  '--1',
  '+-1',
  '1e',
  'e5',
  '.',
  '-',
  '+',
  '1e+',
  '١٢', // Arabic-Indic digits
  '１２', // full-width digits
  '٣.٥',
  '\u0000',
  '1\u00002',
  '1\u200b', // zero-width space (not trimmed)
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '1n',
  '∞',
  '²',
];

/** Hostile values of every kind, valid or not for a given row. */
export const HOSTILE: readonly string[] = [
  ...NOT_NUMBERS,
  ...INJECTIONS,
  '-0',
  '0',
  '-1',
  '1e-7',
  '9007199254740993', // above 2^53
  '99999999999999999999999999',
  '2147483648',
  '4294967297',
  '1.0000000000000001',
  '0.1e1',
  ' 1 ',
  '\t2\n',
  '%00',
  '%',
  '%zz',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '😀',
  'e\u0301', // combining accent
  '\u202eevil', // right-to-left override
  'a'.repeat(3000),
  '9'.repeat(400),
];

/** Keys that are not in any table but might confuse an object lookup. */
export const STRANGE_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '',
  'present',
  'backend',
  'ablate',
  '<script>',
  'x'.repeat(200),
];

/** A number written as a link might carry it: plain, exponent, padded, signed. */
function spellings(n: number): fc.Arbitrary<string> {
  return fc.constantFrom(
    String(n),
    n.toExponential(),
    n.toPrecision(17),
    ` ${n} `,
    n >= 0 ? `+${n}` : String(n),
    String(n).replace(/^0\./, '.'),
  );
}

/** A value valid for the row on its own (cross rules aside), spelt some way a link may spell it. */
export function validValue(spec: ParamSpec): fc.Arbitrary<string> {
  if (spec.kind === 'enum') return fc.constantFrom(...spec.options);
  const { min, max } = spec;
  const edges = fc.constantFrom(min, max, spec.default);
  const inside =
    spec.kind === 'int'
      ? max - min <= 0x7fffffff
        ? fc.integer({ min, max })
        : fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number)
      : fc.oneof(
          fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
          // Log-uniform, so small rates get drawn as often as large ones.
          fc
            .double({ min: Math.log10(Math.max(min, 1e-12)), max: Math.log10(max), noNaN: true })
            .map((e) => Math.min(max, Math.max(min, 10 ** e))),
        );
  return fc.oneof(edges, inside).chain(spellings);
}

/** A value the row must refuse: out of its range, a fraction for a whole number, not a number, not an option. */
export function invalidValue(spec: ParamSpec): fc.Arbitrary<string> {
  if (spec.kind === 'enum')
    return fc
      .oneof(
        fc.constantFrom(...HOSTILE),
        fc.string({ maxLength: 12 }),
        fc.constantFrom(...spec.options).map((o) => o.toUpperCase() + '_'),
      )
      .filter((s) => !spec.options.includes(s.trim()));
  const { min, max } = spec;
  const outside = fc
    .oneof(
      fc.constantFrom(min - 1, max + 1, -max - 1, max * 10 + 1, -1e300, 1e300),
      fc.double({ min: max, max: 1e300, noNaN: true, minExcluded: true }),
      fc.double({ min: -1e300, max: min, noNaN: true, maxExcluded: true }),
    )
    // fast-check counts -0 as below 0, but it is 0 (and String(-0) is "0").
    .filter((n) => !(n >= min && n <= max));
  const fractions = spec.kind === 'int' ? fc.constantFrom(min + 0.5, (min + max) / 2 + 0.25) : fc.constant(Number.NaN);
  return fc.oneof(
    fc.constantFrom(...NOT_NUMBERS),
    fc.constantFrom(...INJECTIONS),
    outside.map(String),
    fractions.map(String),
  );
}

/** Any value for the row: valid more often than not, so accepted combinations get drawn too. */
export function anyValue(spec: ParamSpec): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: validValue(spec) },
    { weight: 2, arbitrary: invalidValue(spec) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.double().map(String) },
  );
}

/** How one key=value pair is written into the query string. */
type Spelling = 'encoded' | 'raw';

export interface QueryEntry {
  key: string;
  value: string;
  spelling: Spelling;
}

/** A query entry: mostly a key of one of `tables`, sometimes a strange key; any value. */
export function entry(tables: readonly ParamTable[]): fc.Arbitrary<QueryEntry> {
  const specs = tables.flat();
  const known = fc.constantFrom(...specs).chain((spec) => fc.tuple(fc.constant(spec.key), anyValue(spec)));
  const strange = fc.tuple(
    fc.oneof(fc.constantFrom(...STRANGE_KEYS), fc.string({ maxLength: 8 })),
    fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 })),
  );
  return fc
    .tuple(
      fc.oneof({ weight: 8, arbitrary: known }, { weight: 1, arbitrary: strange }),
      fc.constantFrom<Spelling>('encoded', 'encoded', 'raw'),
    )
    .map(([[key, value], spelling]) => ({ key, value, spelling }));
}

/** Writes entries as a query string (without `?`): percent-encoded, or verbatim where the entry says raw. */
export function queryString(entries: readonly QueryEntry[]): string {
  return entries
    .map(({ key, value, spelling }) =>
      spelling === 'encoded' ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}` : `${key}=${value}`,
    )
    .join('&');
}

/**
 * A whole query: up to `max` entries from the tables (keys may repeat), and
 * now and then a fully valid set for every row, so combinations the cross
 * rules must judge get drawn.
 */
export function hostileQuery(tables: readonly ParamTable[], max = 12): fc.Arbitrary<string> {
  const all = tables.flat();
  const validSet = fc
    .tuple(...all.map((spec) => fc.option(validValue(spec), { nil: undefined, freq: 3 })))
    .map((values) =>
      all.flatMap((spec, i) =>
        values[i] === undefined ? [] : [{ key: spec.key, value: values[i], spelling: 'encoded' as const }],
      ),
    );
  const mixed = fc.array(entry(tables), { maxLength: max });
  // A key given twice: the second copy is anything.
  const repeated = fc.tuple(mixed, fc.constantFrom(...all), fc.nat()).chain(([entries, spec, seed]) =>
    anyValue(spec).map((v) => {
      const out = [...entries, { key: spec.key, value: v, spelling: 'encoded' as const }];
      return seed % 2 ? out : out.reverse();
    }),
  );
  return fc
    .oneof({ weight: 3, arbitrary: mixed }, { weight: 3, arbitrary: validSet }, { weight: 1, arbitrary: repeated })
    .map(queryString);
}
