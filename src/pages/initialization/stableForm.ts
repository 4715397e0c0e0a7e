// useParamForm hands out a new form object (and a new `values` object) on
// every URL change, including changes made by the page's other table. A
// section that gets its form through this hook re-renders only when its own
// table changes, so typing a depth in the explorer does not re-render the race.
import { useMemo } from 'react';
import type { ParamForm } from '../../components/useParamForm';
import type { ParamTable } from '../../core/params';

export function useStableForm<T extends ParamTable>(form: ParamForm<T>): ParamForm<T> {
  // drafts, errors and notices are small records of strings; values are numbers and strings.
  const key = JSON.stringify([form.values, form.drafts, form.errors, form.notices, form.valid]);
  // The key captures everything the form shows, so it is the only dependency.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new form with the same key is the same form
  return useMemo(() => form, [key]);
}
