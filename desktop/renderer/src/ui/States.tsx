// Loading, empty and error states, the same everywhere.
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorNotice } from './ErrorNotice.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p className="state state-loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label}</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty" role="status">{children}</div>;
}

/**
 * Shows a query's loading or error state, or its data through `children`.
 * `isEmpty` decides when the `empty` message shows instead.
 */
export function QueryView<T>({ query, children, isEmpty, empty, what = 'data' }: {
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  what?: string;
}) {
  if (query.isPending) return <Loading label={`Loading ${what}…`} />;
  if (query.isError) {
    return (
      <div>
        <ErrorNotice error={query.error} title={`Could not load ${what}`} />
        <button type="button" className="btn" onClick={() => void query.refetch()}>Try again</button>
      </div>
    );
  }
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}
