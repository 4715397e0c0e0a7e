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

/** Parses one raw field value; the error says what is wrong and what is allowed. */
export function checkParam(spec: ParamSpec, raw: string): ParamCheck {
  const text = raw.trim();
  if (spec.kind === 'enum') {
    return spec.options.includes(text)
      ? { ok: true, value: text }
      : { ok: false, error: `${spec.label} must be one of ${spec.options.join(', ')}.` };
  }
  if (text === '') return { ok: false, error: `${spec.label} is required.` };
  if (!NUMBER.test(text)) return { ok: false, error: `${spec.label} must be a number.` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, error: `${spec.label} must be a finite number.` };
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
 * so a broken link still opens a working page. With `crossRules`, a link
 * whose values pass each field's check but not the rules between fields
 * (heads that do not divide the width, masking shares above 1) gets the
 * fields the rules name set back to their defaults, or, if that is not
 * enough, every field it set; so no page renders from an invalid combination.
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
    const raw = query.get(spec.key);
    if (raw === null) continue;
    const check = checkParam(spec, raw);
    if (check.ok) {
      values[spec.key] = check.value;
      fromLink.push(spec);
    } else
      notices.push(`Ignored ${spec.key}=${JSON.stringify(raw)} from the link: ${check.error} Using ${spec.default}.`);
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
