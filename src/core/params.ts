// Hyperparameters as a declarative table: each row parses, validates and
// round-trips to the URL, so any experiment is a shareable link.

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

export type ParamValue = number | string;
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

export function defaultValues(specs: readonly ParamSpec[]): ParamValues {
  return Object.fromEntries(specs.map((s) => [s.key, s.default]));
}

/**
 * Reads values from a URL query. A malformed value falls back to its default
 * and yields a notice, so a broken link still opens a working page.
 */
export function parseParams(
  specs: readonly ParamSpec[],
  query: URLSearchParams,
): { values: ParamValues; notices: string[] } {
  const values = defaultValues(specs);
  const notices: string[] = [];
  for (const spec of specs) {
    const raw = query.get(spec.key);
    if (raw === null) continue;
    const check = checkParam(spec, raw);
    if (check.ok) values[spec.key] = check.value;
    else notices.push(`Ignored ${spec.key}=${JSON.stringify(raw)} from the link: ${check.error} Using ${spec.default}.`);
  }
  return { values, notices };
}

/** Writes the values that differ from their defaults, in table order. */
export function writeParams(specs: readonly ParamSpec[], values: ParamValues, query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(query);
  for (const spec of specs) {
    const v = values[spec.key];
    if (v === undefined || v === spec.default) out.delete(spec.key);
    else out.set(spec.key, String(v));
  }
  return out;
}
