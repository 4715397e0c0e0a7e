// Form state for a hyperparameter table bound to the URL: drafts are what the
// user typed; only a fully valid set is written to the URL and used to train.
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  asValues,
  checkParam,
  parseParams,
  writeParams,
  type ParamSpec,
  type ParamTable,
  type ParamValues,
  type ValuesOf,
  type CrossRules,
} from '../core/params';

/** Rules that involve more than one field: field key -> message. */
export type CrossCheck<T extends ParamTable> = CrossRules<T>;

export interface ParamForm<T extends ParamTable = ParamTable> {
  specs: T;
  /** The last valid set: what the URL says and what trains. */
  values: ValuesOf<T>;
  drafts: Record<string, string>;
  errors: Record<string, string>;
  /** Notices about link values that were malformed and replaced by defaults. */
  notices: string[];
  valid: boolean;
  setDraft(key: string, raw: string): void;
  dismissNotices(): void;
}

export function useParamForm<T extends ParamTable>(
  specs: T,
  query: URLSearchParams,
  replaceQuery: (q: URLSearchParams) => void,
  crossCheck?: CrossCheck<T>,
): ParamForm<T> {
  const queryString = query.toString();
  const parsed = useMemo(
    () => parseParams(specs, new URLSearchParams(queryString), crossCheck),
    [specs, queryString, crossCheck],
  );
  const [drafts, setDrafts] = useState<Record<string, string>>(() => toDrafts(specs, parsed.values));
  const [notices, setNotices] = useState<string[]>(parsed.notices);

  // The URL changed from outside (back button, a pasted link): show its values,
  // and say what it got wrong (our own writes are always well formed).
  useEffect(() => {
    setDrafts((d) => (sameValues(specs, d, parsed.values) ? d : toDrafts(specs, parsed.values)));
    if (parsed.notices.length > 0) setNotices(parsed.notices);
  }, [specs, parsed]);

  const { errors, candidate } = useMemo(() => {
    const errs: Record<string, string> = {};
    const vals: ParamValues = {};
    for (const spec of specs) {
      const check = checkParam(spec, drafts[spec.key] ?? '');
      if (check.ok) vals[spec.key] = check.value;
      else errs[spec.key] = check.error;
    }
    const candidate = asValues<T>(vals);
    if (Object.keys(errs).length === 0 && crossCheck) Object.assign(errs, crossCheck(candidate));
    return { errors: errs, candidate };
  }, [specs, drafts, crossCheck]);
  const valid = Object.keys(errors).length === 0;

  // A valid set goes to the URL (replacing, not pushing, history entries).
  useEffect(() => {
    if (!valid) return;
    const next = writeParams(specs, candidate, new URLSearchParams(window.location.hash.split('?')[1] ?? ''));
    replaceQuery(next);
  }, [valid, candidate, specs, replaceQuery]);

  const setDraft = useCallback((key: string, raw: string) => setDrafts((d) => ({ ...d, [key]: raw })), []);
  const dismissNotices = useCallback(() => setNotices([]), []);
  return { specs, values: parsed.values, drafts, errors, notices, valid, setDraft, dismissNotices };
}

function toDrafts(specs: readonly ParamSpec[], values: ParamValues): Record<string, string> {
  return Object.fromEntries(specs.map((s) => [s.key, String(values[s.key])]));
}

function sameValues(specs: readonly ParamSpec[], drafts: Record<string, string>, values: ParamValues): boolean {
  return specs.every((s) => {
    const check = checkParam(s, drafts[s.key] ?? '');
    return check.ok && check.value === values[s.key];
  });
}
