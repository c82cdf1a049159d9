// An error as the server put it: its message, code and reason, the request id
// to quote to support, and any field violation no field on screen shows.
import { problemOf, type Problem, type Violation } from '../api/errors.ts';

export function ErrorNotice({ error, problem, unshown = [], title = 'The server refused this' }: {
  error?: unknown;
  problem?: Problem;
  /** Violations for fields this screen has no input for. */
  unshown?: Violation[];
  title?: string;
}) {
  const p = problem ?? (error !== undefined && error !== null ? problemOf(error) : undefined);
  if (!p) return null;
  return (
    <div className="notice notice-error" role="alert" tabIndex={-1}>
      <p className="notice-title">{p.unreachable ? 'Server unreachable' : title}</p>
      <p className="notice-message">{p.message}</p>
      {unshown.length > 0 && (
        <ul className="notice-list">
          {unshown.map((v) => <li key={`${v.field} ${v.reason}`}><code>{v.field}</code> {v.description}</li>)}
        </ul>
      )}
      <p className="notice-meta">
        <span>code <code>{p.code}</code></span>
        {p.reason && <span>reason <code data-testid="error-reason">{p.reason}</code></span>}
        {p.requestId && <span>request id <code>{p.requestId}</code></span>}
      </p>
    </div>
  );
}
