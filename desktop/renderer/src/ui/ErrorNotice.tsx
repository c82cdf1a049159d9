// An error as the server put it: its message, code and reason, the request id
// to quote to support, and any field violation no field on screen shows. The
// server's message is shown as it wrote it; what the console adds is translated.
import { useTranslation } from 'react-i18next';
import { problemOf, type Problem, type Violation } from '../api/errors.ts';

export function ErrorNotice({ error, problem, unshown = [], title }: {
  error?: unknown;
  problem?: Problem;
  /** Violations for fields this screen has no input for. */
  unshown?: Violation[];
  title?: string;
}) {
  const { t } = useTranslation();
  const p = problem ?? (error !== undefined && error !== null ? problemOf(error) : undefined);
  if (!p) return null;
  return (
    <div className="notice notice-error" role="alert" tabIndex={-1}>
      <p className="notice-title">{p.unreachable ? t('errors.unreachableTitle') : title ?? t('errors.refused')}</p>
      <p className="notice-message">{p.unreachable ? t('errors.unreachable', { message: p.message }) : p.message}</p>
      {unshown.length > 0 && (
        <ul className="notice-list">
          {unshown.map((v) => <li key={`${v.field} ${v.reason}`}><code>{v.field}</code> {v.description}</li>)}
        </ul>
      )}
      <p className="notice-meta">
        <span>{t('errors.code')} <code>{p.code}</code></span>
        {p.reason && <span>{t('errors.reason')} <code data-testid="error-reason">{p.reason}</code></span>}
        {p.requestId && <span>{t('errors.requestId')} <code>{p.requestId}</code></span>}
      </p>
    </div>
  );
}
