import type { ParamForm } from './useParamForm';
import { Notice } from './Notice';

/** What a shared link got wrong (a malformed value replaced by its default), dismissible. */
export function UrlNotices({ form }: { form: ParamForm }) {
  if (form.notices.length === 0) return null;
  return (
    <Notice kind="warning" testId="url-notice">
      {form.notices.map((n) => (
        <div key={n}>{n}</div>
      ))}
      <button type="button" className="link" onClick={form.dismissNotices}>
        Dismiss
      </button>
    </Notice>
  );
}
