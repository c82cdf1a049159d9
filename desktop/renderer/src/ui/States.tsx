// Loading, empty and error states, the same everywhere.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorNotice } from './ErrorNotice.tsx';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return <p className="state state-loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label ?? t('states.loading')}</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty" role="status">{children}</div>;
}

/**
 * Shows a query's loading or error state, or its data through `children`.
 * `isEmpty` decides when the `empty` message shows instead. `what` names
 * the data in the messages ("Loading the client…"), translated.
 */
export function QueryView<T>({ query, children, isEmpty, empty, what }: {
  query: UseQueryResult<T, unknown>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  what: string;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Loading label={t('states.loadingWhat', { what })} />;
  if (query.isError) {
    return (
      <div>
        <ErrorNotice error={query.error} title={t('states.couldNotLoad', { what })} />
        <button type="button" className="btn" onClick={() => void query.refetch()}>{t('states.tryAgain')}</button>
      </div>
    );
  }
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return <>{children(query.data)}</>;
}
