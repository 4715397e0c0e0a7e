// Hyperparameters as a declarative table: each row parses, validates and
// round-trips to the URL, so any experiment is a shareable link. A table
// declared `as const satisfies ParamTable` gives its values a type
// (ValuesOf): numbers for int and float rows, the options' union for enum
// rows, so a page reads `v.layers` as a number without a cast.

export type ParamSpec =
  | { kind: 'int'; key: string; label: string; default: number; min: number; max: number; help?: string }
  | { kind: 'float'; key: string; label: string; default: number; min: number; max: number; help?: string }
  | {
      kind: 'enum';
      key: string;
      label: string;
      default: string;
      options: readonly string[];
      /** What the menu shows for an option, where its URL value is not words a student reads (default: the value). */
      optionLabels?: Readonly<Record<string, string>>;
      help?: string;
    };

export type ParamTable = readonly ParamSpec[];

/** The typed values a table's rows produce, by key. */
export type ValuesOf<T extends ParamTable> = {
  -readonly [R in T[number] as R['key']]: R extends { kind: 'enum'; options: readonly (infer O)[] } ? O : number;
};

export type ParamValue = number | string;
/** Values of a table whose type is not known here (the form's internals). */
export type ParamValues = Record<string, ParamValue>;
export type ParamCheck = { ok: true; value: ParamValue } | { ok: false; error: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** One comma and no point: read as a decimal comma (unless THOUSANDS matches). */
const DECIMAL_COMMA = /^[^,.]*,[^,.]*$/;
/** A nonzero 1-3 digit integer, a comma, exactly three digits: maybe a thousands group. */
const THOUSANDS = /^[+-]?[1-9]\d{0,2},\d{3}(e[+-]?\d+)?$/i;

export type NumberRead =
  { ok: true; value: number } | { ok: false; error: string; reason: 'empty' | 'syntax' | 'infinite' | 'underflow' };

/**
 * The notebook's one rule for reading a number someone typed, in a form
 * field, a side field or a link: plain decimal or scientific notation (0.01,
 * 1e-3, -2.5, .5). Refused, each with a message that names the field by
 * `label`: an empty field; anything else (hex such as 0x10, which Number()
 * reads as 16, Infinity, NaN, 1/2, units); a literal too large for a double
 * (1e999); and a literal with a nonzero digit too small for one (1e-400,
 * which Number() reads as 0: the field would silently hold another value).
 * Callers check the range themselves; `reason` lets a field keep its own
 * wording for the common cases.
 *
 * A decimal comma is read as a point, since phones in many locales offer only
 * a comma on their decimal keypad: 0,003 is 0.003, 2,5e-3 is 0.0025. Only
 * one comma and no point: 1,000.5 and 1,000,000 are refused. A comma between
 * a nonzero integer of one to three digits and exactly three digits (1,000,
 * -12,500, 250,000e-3) has the shape of a thousands separator, so it could
 * mean a thousand or one: refused, with "use a point for decimals", rather
 * than guessed. A zero before the comma (0,003) is never a thousands group.
 */
export function readNumber(raw: string, label: string): NumberRead {
  const typed = raw.trim();
  if (typed === '') return { ok: false, reason: 'empty', error: `${label} is required.` };
  if (THOUSANDS.test(typed)) {
    const point = typed.replace(',', '.');
    const plain = typed.replace(',', '');
    return {
      ok: false,
      reason: 'syntax',
      error: `${label} must be a number: use a point for decimals (${point}) and no thousands separator (${plain}).`,
    };
  }
  const text = DECIMAL_COMMA.test(typed) ? typed.replace(',', '.') : typed;
  if (!NUMBER.test(text)) return { ok: false, reason: 'syntax', error: `${label} must be a number.` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, reason: 'infinite', error: `${label} must be a finite number.` };
  if (value === 0 && /[1-9]/.test(text.replace(/e.*$/i, ''))) {
    return {
      ok: false,
      reason: 'underflow',
      error: `${label} is too close to 0 to store: ${typed} would be read as 0. Type 0 or a larger number.`,
    };
  }
  return { ok: true, value };
}

/** Parses one raw field value; the error says what is wrong and what is allowed. */
export function checkParam(spec: ParamSpec, raw: string): ParamCheck {
  const text = raw.trim();
  if (spec.kind === 'enum') {
    return spec.options.includes(text)
      ? { ok: true, value: text }
      : { ok: false, error: `${spec.label} must be one of ${spec.options.join(', ')}.` };
  }
  const read = readNumber(text, spec.label);
  if (!read.ok) return { ok: false, error: read.error };
  const { value } = read;
  if (spec.kind === 'int' && !Number.isInteger(value)) {
    return { ok: false, error: `${spec.label} must be a whole number.` };
  }
  if (value < spec.min || value > spec.max) {
    return { ok: false, error: `${spec.label} must be between ${spec.min} and ${spec.max}.` };
  }
  return { ok: true, value };
}

export function defaultValues<T extends ParamTable>(specs: T): ValuesOf<T> {
  return asValues<T>(Object.fromEntries(specs.map((s) => [s.key, s.default])));
}

/**
 * The one place untyped values become a table's typed values: every row's
 * checkParam (or its default) produced them, so each key holds a number for
 * int and float rows and one of the options for enum rows.
 */
export function asValues<T extends ParamTable>(values: ParamValues): ValuesOf<T> {
  return values as ValuesOf<T>;
}

/** Rules that involve more than one field: field key -> message (empty when the values agree). */
export type CrossRules<T extends ParamTable> = (values: ValuesOf<T>) => Record<string, string>;

/**
 * Reads values from a URL query: the one place a link's values are read and
 * checked. A malformed value falls back to its default and yields a notice,
 * so a broken link still opens a working page. A key given more than once
 * takes its first value, and its other values get a notice. With
 * `crossRules`, a link whose values pass each field's check but not the
 * rules between fields (heads that do not divide the width, masking shares
 * above 1) gets the fields the rules name set back to their defaults, or, if
 * that is not enough, every field it set; so no page renders from an invalid
 * combination.
 */
export function parseParams<T extends ParamTable>(
  specs: T,
  query: URLSearchParams,
  crossRules?: CrossRules<T>,
): { values: ValuesOf<T>; notices: string[] } {
  const values: ParamValues = defaultValues(specs);
  const notices: string[] = [];
  const fromLink: ParamSpec[] = [];
  for (const spec of specs) {
    const given = query.getAll(spec.key);
    if (given.length === 0) continue;
    const raw = given[0];
    const check = checkParam(spec, raw);
    if (check.ok) {
      values[spec.key] = check.value;
      fromLink.push(spec);
    } else
      notices.push(`Ignored ${spec.key}=${JSON.stringify(raw)} from the link: ${check.error} Using ${spec.default}.`);
    // A key given more than once: the first copy counts (as URLSearchParams.get reads it); the others are named.
    const others = [...new Set(given.slice(1))].filter((r) => r !== raw);
    if (others.length > 0)
      notices.push(
        `Ignored ${others.map((r) => `${spec.key}=${JSON.stringify(r)}`).join(', ')} from the link: ${spec.key} is given ${given.length} times and only the first counts.`,
      );
  }
  const errors = crossRules ? crossRules(asValues<T>(values)) : {};
  if (crossRules && Object.keys(errors).length > 0) {
    const named = fromLink.filter((s) => s.key in errors);
    // A rule may name a field the link did not set (its default then conflicts with what the link set).
    const reset =
      named.length > 0 && Object.keys(crossRules(asValues<T>({ ...values, ...defaultsOf(named) }))).length === 0
        ? named
        : fromLink;
    Object.assign(values, defaultsOf(reset));
    const message = Object.values(errors).join(' ');
    notices.push(
      `Ignored ${reset.map((s) => `${s.key}=${JSON.stringify(query.get(s.key))}`).join(', ')} from the link: ${message} Using ${reset.map((s) => `${s.key} = ${s.default}`).join(', ')}.`,
    );
  }
  return { values: asValues<T>(values), notices };
}

function defaultsOf(specs: readonly ParamSpec[]): ParamValues {
  return Object.fromEntries(specs.map((s) => [s.key, s.default]));
}

/** Writes the values that differ from their defaults, in table order. */
export function writeParams<T extends ParamTable>(
  specs: T,
  values: ValuesOf<T>,
  query: URLSearchParams,
): URLSearchParams {
  const out = new URLSearchParams(query);
  const untyped: ParamValues = values;
  for (const spec of specs) {
    const v = untyped[spec.key];
    if (v === undefined || v === spec.default) out.delete(spec.key);
    else out.set(spec.key, String(v));
  }
  return out;
}

/** Some rows of a table, typed: ValuesOf the result has exactly the picked keys. */
export function pickRows<T extends ParamTable, K extends T[number]['key']>(
  table: T,
  keys: readonly K[],
): readonly Extract<T[number], { key: K }>[] {
  const wanted: readonly string[] = keys;
  return table.filter((row): row is Extract<T[number], { key: K }> => wanted.includes(row.key));
}
